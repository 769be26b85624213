using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SyncTooling.Storage.File;

/// <summary>What an entry of a local tree is, as <c>lstat</c> sees it.</summary>
internal enum FileKind
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,
    Fifo,
    Socket,
    CharacterDevice,
    BlockDevice,
}

/// <summary>The identity and state of one file (from <c>statx</c>).</summary>
internal readonly record struct FileIdentity(FileKind Kind, ulong Device, ulong Inode, long Size, uint LinkCount, DateTimeOffset ChangedUtc);

/// <summary>
/// The few Linux system calls .NET does not expose and a tree that fights back needs: opening without blocking
/// (a FIFO blocks <c>open</c> forever), the type of an opened handle (<c>statx</c> on the descriptor), and
/// directory-relative calls (<c>openat</c>, <c>renameat</c>) so a write happens in the folder that was checked,
/// whatever is renamed or linked into its path meanwhile. <c>statx</c>'s layout is the same on every Linux
/// architecture, unlike <c>struct stat</c>.
/// </summary>
internal static partial class LinuxFiles
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtRemoveDir = 0x200;
    private const int AtEmptyPath = 0x1000;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int OWriteOnly = 0x1;
    private const int OReadWrite = 0x2;
    private const int OCreate = 0x40;
    private const int OExclusive = 0x80;
    private const int ONoCtty = 0x100;
    private const int ONonBlock = 0x800;
    private const int OCloseOnExec = 0x80000;
    private const uint StatxBasicStats = 0x7ff;
    private const int EPERM = 1;
    private const int ENOENT = 2;
    private const int EACCES = 13;
    private const int EEXIST = 17;
    private const int ENOTDIR = 20;
    private const int ELOOP = 40;

    // O_DIRECTORY and O_NOFOLLOW are the two open flags whose values differ between Linux architectures.
    private static readonly bool ArmStyleFlags = RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 or Architecture.Armv6 or Architecture.Ppc64le;
    private static readonly int ODirectory = ArmStyleFlags ? 0x4000 : 0x10000;
    private static readonly int ONoFollow = ArmStyleFlags ? 0x8000 : 0x20000;

    /// <summary>True where these calls are used; elsewhere FileStorage falls back to path checks.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>What <paramref name="path"/> is, without following a link at its end.</summary>
    public static FileIdentity Stat(string path) => Stat(AtFdCwd, path, AtSymlinkNoFollow);

    /// <summary>What an open descriptor refers to.</summary>
    public static FileIdentity Stat(SafeHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Stat((int)handle.DangerousGetHandle(), string.Empty, AtEmptyPath);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>What <paramref name="name"/> in the open folder is, without following a link.</summary>
    public static FileIdentity Stat(SafeFileHandle folder, string name) => WithDescriptor(folder, fd => Stat(fd, name, AtSymlinkNoFollow));

    /// <summary>
    /// Opens <paramref name="path"/> for reading only when it is a regular file: a FIFO, socket or device is refused
    /// without being opened, and one swapped in after that check is opened non-blocking (so it cannot hang) and
    /// refused by the type of the opened descriptor. A link at the end of the path is never followed.
    /// </summary>
    /// <exception cref="SpecialFileException">The path is not a regular file.</exception>
    /// <exception cref="IOException">The open failed (<see cref="FileNotFoundException"/> when it is missing).</exception>
    public static SafeFileHandle OpenRegularForRead(string path)
    {
        var before = Stat(path);
        if (before.Kind is not FileKind.Regular and not FileKind.Missing)
        {
            throw new SpecialFileException(path, before.Kind);
        }

        int fd = OpenAt(AtFdCwd, path, ONonBlock | ONoFollow | ONoCtty | OCloseOnExec, 0);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw errno == ELOOP ? new SpecialFileException(path, FileKind.SymbolicLink) : Failure(errno, path);
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var opened = Stat(handle);
        if (opened.Kind != FileKind.Regular)
        {
            handle.Dispose();
            throw new SpecialFileException(path, opened.Kind);
        }

        return handle;
    }

    /// <summary>
    /// Opens the folder <paramref name="relative"/> below <paramref name="root"/> one segment at a time, never
    /// following a link below the root; with <paramref name="create"/>, missing folders are made on the way.
    /// </summary>
    /// <exception cref="SpecialFileException">A segment is a symbolic link (or another non-folder).</exception>
    /// <exception cref="IOException">A segment is missing (without <paramref name="create"/>) or cannot be opened.</exception>
    public static SafeFileHandle OpenFolder(string root, string relative, bool create)
    {
        int fd = OpenAt(AtFdCwd, root, ODirectory | OCloseOnExec, 0);
        if (fd < 0)
        {
            throw Failure(Marshal.GetLastPInvokeError(), root);
        }

        var current = new SafeFileHandle(fd, ownsHandle: true);
        string path = root;
        try
        {
            foreach (string segment in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                path = Path.Join(path, segment);
                var next = OpenChild(current, segment, path, create);
                current.Dispose();
                current = next;
            }

            return current;
        }
        catch
        {
            current.Dispose();
            throw;
        }
    }

    /// <summary>Creates <paramref name="name"/> in the open folder; fails when anything (a link too) has that name.</summary>
    public static SafeFileHandle CreateNew(SafeFileHandle folder, string name, UnixFileMode mode, string pathForErrors)
    {
        int fd = WithDescriptor(folder, dir => OpenAt(dir, name, OWriteOnly | OCreate | OExclusive | ONoFollow | ONoCtty | OCloseOnExec, (uint)mode));
        return fd < 0 ? throw Failure(Marshal.GetLastPInvokeError(), pathForErrors) : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Creates <paramref name="name"/> in the open folder for reading and writing; fails when anything (a link too) has that name.</summary>
    public static SafeFileHandle CreateNewReadWrite(SafeFileHandle folder, string name, UnixFileMode mode, string pathForErrors)
    {
        int fd = WithDescriptor(folder, dir => OpenAt(dir, name, OReadWrite | OCreate | OExclusive | ONoFollow | ONoCtty | OCloseOnExec, (uint)mode));
        var handle = fd < 0 ? throw Failure(Marshal.GetLastPInvokeError(), pathForErrors) : new SafeFileHandle(fd, ownsHandle: true);

        // Nobody else can hold it yet: the lock tells a second sync that this temp file is being written.
        TryLockExclusive(handle);
        return handle;
    }

    /// <summary>
    /// Opens the existing file <paramref name="name"/> of the open folder for reading and writing, never through a
    /// link at its name; null when it is missing, not a regular file, or has other names (a hard link to a file
    /// elsewhere, which a write must not reach).
    /// </summary>
    public static SafeFileHandle? OpenOwnFileReadWrite(SafeFileHandle folder, string name)
    {
        int fd = WithDescriptor(folder, dir => OpenAt(dir, name, OReadWrite | ONoFollow | ONonBlock | ONoCtty | OCloseOnExec, 0));
        if (fd < 0)
        {
            return null;
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var opened = Stat(handle);
        if (opened.Kind != FileKind.Regular || opened.LinkCount != 1 || !TryLockExclusive(handle))
        {
            handle.Dispose();
            return null;
        }

        return handle;
    }

    /// <summary>
    /// Takes the exclusive advisory lock (<c>flock</c>) of an open file without waiting; false when another open
    /// file description holds it (another sync writing the file). Released when the handle closes, or its process dies.
    /// </summary>
    public static bool TryLockExclusive(SafeFileHandle handle) => WithDescriptor(handle, fd => Flock(fd, LockExclusive | LockNonBlocking)) == 0;

    /// <summary>Renames <paramref name="from"/> over <paramref name="to"/>, both in the open folder.</summary>
    public static void Rename(SafeFileHandle folder, string from, string to, string pathForErrors)
    {
        if (WithDescriptor(folder, dir => RenameAt(dir, from, dir, to)) != 0)
        {
            throw Failure(Marshal.GetLastPInvokeError(), pathForErrors);
        }
    }

    /// <summary>Removes the file <paramref name="name"/> from the open folder; false when it was not there.</summary>
    public static bool Unlink(SafeFileHandle folder, string name, string pathForErrors)
    {
        if (WithDescriptor(folder, dir => UnlinkAt(dir, name, 0)) == 0)
        {
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno == ENOENT ? false : throw Failure(errno, pathForErrors);
    }

    /// <summary>Removes the empty folder <paramref name="name"/> from the open folder; false when it is not empty or gone.</summary>
    public static bool RemoveEmptyFolder(SafeFileHandle folder, string name) => WithDescriptor(folder, dir => UnlinkAt(dir, name, AtRemoveDir)) == 0;

    private static SafeFileHandle OpenChild(SafeFileHandle parent, string segment, string path, bool create)
    {
        for (int attempt = 0; ; attempt++)
        {
            int fd = WithDescriptor(parent, dir => OpenAt(dir, segment, ODirectory | ONoFollow | OCloseOnExec, 0));
            if (fd >= 0)
            {
                return new SafeFileHandle(fd, ownsHandle: true);
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno is ELOOP or ENOTDIR)
            {
                var kind = Stat(parent, segment).Kind;
                if (kind is not FileKind.Directory and not FileKind.Missing and not FileKind.Regular)
                {
                    throw new SpecialFileException(path, kind);
                }

                if (kind == FileKind.Regular || attempt > 2)
                {
                    throw Failure(errno, path);
                }

                // It changed between the open and the look (a swap under way): look again.
            }
            else if (errno != ENOENT || !create || attempt > 2)
            {
                throw Failure(errno, path);
            }
            else if (WithDescriptor(parent, dir => MkdirAt(dir, segment, 0x1ff)) != 0 && Marshal.GetLastPInvokeError() is int mkdirError && mkdirError != EEXIST)
            {
                throw Failure(mkdirError, path);
            }
        }
    }

    private static FileIdentity Stat(int dirFd, string path, int flags)
    {
        if (StatX(dirFd, path, flags, StatxBasicStats, out var buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno is ENOENT or ENOTDIR ? default : throw Failure(errno, path);
        }

        var kind = (buffer.Mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x1000 => FileKind.Fifo,
            0xC000 => FileKind.Socket,
            0x2000 => FileKind.CharacterDevice,
            _ => FileKind.BlockDevice,
        };
        var changed = DateTimeOffset.FromUnixTimeSeconds(buffer.ChangedSeconds).AddTicks(buffer.ChangedNanoseconds / 100);
        return new FileIdentity(kind, ((ulong)buffer.DeviceMajor << 32) | buffer.DeviceMinor, buffer.Inode, (long)buffer.Size, buffer.LinkCount, changed);
    }

    private static T WithDescriptor<T>(SafeHandle handle, Func<int, T> call)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return call((int)handle.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    // Shaped like .NET's own failures, so FileStorage classifies both the same way.
    private static Exception Failure(int errno, string path)
    {
        string message = Marshal.GetPInvokeErrorMessage(errno);
        return errno switch
        {
            ENOENT => new FileNotFoundException(message, path),
            EACCES or EPERM => new UnauthorizedAccessException(message),
            _ => new IOException(message, errno),
        };
    }

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenAt(int dirFd, string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MkdirAt(int dirFd, string path, uint mode);

    [LibraryImport("libc", EntryPoint = "renameat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt(int fromDirFd, string from, int toDirFd, string to);

    [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UnlinkAt(int dirFd, string path, int flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatX(int dirFd, string path, int flags, uint mask, out StatxBuffer buffer);

    /// <summary>struct statx (linux/stat.h): the fields read here, at their fixed offsets; 256 bytes in all.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(16)]
        public uint LinkCount;

        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(32)]
        public ulong Inode;

        [FieldOffset(40)]
        public ulong Size;

        [FieldOffset(96)]
        public long ChangedSeconds;

        [FieldOffset(104)]
        public uint ChangedNanoseconds;

        [FieldOffset(136)]
        public uint DeviceMajor;

        [FieldOffset(140)]
        public uint DeviceMinor;
    }
}

/// <summary>A path that is not a regular file or folder where one was expected; it was not opened or written through.</summary>
internal sealed class SpecialFileException(string path, FileKind kind)
    : IOException($"'{path}' is {FileKinds.Describe(kind)}, not a regular file or folder.")
{
    public string Path { get; } = path;

    public FileKind Kind { get; } = kind;
}

/// <summary>Words for a <see cref="FileKind"/> in messages.</summary>
internal static class FileKinds
{
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.Socket => "a Unix socket",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Directory => "a folder",
        FileKind.Missing => "missing",
        _ => "a regular file",
    };
}
