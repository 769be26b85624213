using Microsoft.Win32.SafeHandles;

namespace SyncTooling.Storage.File;

/// <summary>
/// One folder of a local tree, opened for changes that must stay inside the tree. On Linux it holds the folder
/// open (reached one segment at a time from the root without following a link), and every create, rename and
/// delete is relative to that open folder: a folder of the path swapped for a link meanwhile changes nothing,
/// the write still happens in the folder that was checked. Elsewhere it checks the path for links right before
/// each change, which leaves a window of a few system calls between the check and the change.
/// </summary>
internal sealed class TreeFolder : IDisposable
{
    private readonly string _root;
    private readonly string _relative;
    private readonly SafeFileHandle? _handle;

    private TreeFolder(string root, string relative, string path, SafeFileHandle? handle)
    {
        _root = root;
        _relative = relative;
        Path = path;
        _handle = handle;
    }

    /// <summary>The folder's path, for messages.</summary>
    public string Path { get; }

    /// <summary>Opens the folder <paramref name="relative"/> ('/'-separated, may be empty) below <paramref name="root"/>.</summary>
    /// <exception cref="SpecialFileException">A folder of the path is a link (or not a folder).</exception>
    /// <exception cref="IOException">The folder is missing (without <paramref name="create"/>) or cannot be opened.</exception>
    public static TreeFolder Open(string root, string relative, bool create)
    {
        string path = relative.Length == 0 ? root : System.IO.Path.Join(root, relative.Replace('/', System.IO.Path.DirectorySeparatorChar));
        if (LinuxFiles.IsSupported)
        {
            try
            {
                return new TreeFolder(root, relative, path, OpenMakingRoot(root, relative, create));
            }
            catch (FileNotFoundException ex) when (create)
            {
                // Made, then gone again before it could be opened, several times over.
                throw new StorageException(StorageErrorKind.Permanent, $"'{path}' was moved or replaced while it was created; nothing was written.", ex);
            }
        }

        RefuseLinks(root, path);
        if (create)
        {
            Directory.CreateDirectory(path);
        }
        else if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"'{path}' does not exist.");
        }

        return new TreeFolder(root, relative, path, null);
    }

    // The root is the user's own path (links in it are followed); it is made only when missing, saving two system calls a file.
    private static SafeFileHandle OpenMakingRoot(string root, string relative, bool create)
    {
        try
        {
            return LinuxFiles.OpenFolder(root, relative, create);
        }
        catch (FileNotFoundException) when (create)
        {
            // Parallel transfers into a new target all find the root missing; whoever comes second finds it made
            // (CreateDirectory is then a no-op), so this must not depend on who made it.
            Directory.CreateDirectory(root);
            return LinuxFiles.OpenFolder(root, relative, create);
        }
    }

    /// <summary>Creates the file <paramref name="name"/>; fails when anything has that name.</summary>
    public SafeFileHandle CreateNew(string name, UnixFileMode mode)
    {
        if (_handle is not null)
        {
            try
            {
                return LinuxFiles.CreateNew(_handle, name, mode, PathOf(name));
            }
            catch (FileNotFoundException ex)
            {
                // A folder that was removed after it was opened takes no new files.
                throw new StorageException(StorageErrorKind.Permanent, $"'{Path}' was moved or replaced while '{name}' was written into it; nothing was written.", ex);
            }
        }

        RefuseLinks(_root, Path);
        var handle = System.IO.File.OpenHandle(PathOf(name), FileMode.CreateNew, FileAccess.Write, FileShare.None);
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(handle, mode);
        }

        return handle;
    }

    /// <summary>Creates the file <paramref name="name"/> for reading and writing (a download in ranges hashes what it wrote); fails when anything has that name.</summary>
    public SafeFileHandle CreateNewReadWrite(string name, UnixFileMode mode)
    {
        if (_handle is not null)
        {
            return LinuxFiles.CreateNewReadWrite(_handle, name, mode, PathOf(name));
        }

        RefuseLinks(_root, Path);
        return System.IO.File.OpenHandle(PathOf(name), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
    }

    /// <summary>
    /// Reopens this folder's own regular file <paramref name="name"/> (no link, no other name) for reading and writing,
    /// holding its exclusive lock; null when it is not that, or another sync holds it.
    /// </summary>
    public SafeFileHandle? OpenOwnFile(string name)
    {
        if (_handle is not null)
        {
            return LinuxFiles.OpenOwnFileReadWrite(_handle, name);
        }

        RefuseLinks(_root, Path);
        var info = new FileInfo(PathOf(name));
        return info.Exists && info.LinkTarget is null ? System.IO.File.OpenHandle(PathOf(name), FileMode.Open, FileAccess.ReadWrite, FileShare.None) : null;
    }

    /// <summary>
    /// Renames the temp file <paramref name="temp"/>, written through <paramref name="written"/>, over
    /// <paramref name="name"/>, after checking that the temp file is still the one written (not swapped for a
    /// link or another file); then checks the folder is still where it was opened, so a file is never reported
    /// as arrived when it landed in a folder that was moved or removed meanwhile.
    /// </summary>
    /// <exception cref="StorageException">The temp file or the folder was replaced; nothing was renamed, or the arrival is not certain.</exception>
    public void Commit(string temp, string name, SafeFileHandle written)
    {
        if (_handle is null)
        {
            RefuseLinks(_root, Path);
            System.IO.File.Move(PathOf(temp), PathOf(name), overwrite: true);
            return;
        }

        var ours = LinuxFiles.Stat(written);
        var there = LinuxFiles.Stat(_handle, temp);
        if (there.Kind != FileKind.Regular || there.Device != ours.Device || there.Inode != ours.Inode || there.Size != ours.Size)
        {
            throw new StorageException(StorageErrorKind.Permanent, $"'{PathOf(temp)}' was replaced while it was written; it was not renamed into place.");
        }

        // The window left: between that check and the rename the temp name could be swapped again, by someone who
        // can write this very folder; the rename then stays inside this folder all the same.
        LinuxFiles.Rename(_handle, temp, name, PathOf(name));
        if (!StillAtItsPlace())
        {
            throw new StorageException(StorageErrorKind.Permanent, $"'{Path}' was moved or replaced while '{name}' was written into it; the file may not be at its place.");
        }
    }

    private bool StillAtItsPlace()
    {
        try
        {
            using var again = LinuxFiles.OpenFolder(_root, _relative, create: false);
            var now = LinuxFiles.Stat(again);
            var held = LinuxFiles.Stat(_handle!);
            return now.Device == held.Device && now.Inode == held.Inode;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Deletes the file <paramref name="name"/>; false when it was not there.</summary>
    public bool Delete(string name)
    {
        if (_handle is not null)
        {
            return LinuxFiles.Unlink(_handle, name, PathOf(name));
        }

        RefuseLinks(_root, Path);
        if (!System.IO.File.Exists(PathOf(name)))
        {
            return false;
        }

        System.IO.File.Delete(PathOf(name));
        return true;
    }

    /// <summary>The state of <paramref name="name"/> in this folder, without following a link.</summary>
    public FileIdentity Stat(string name)
    {
        if (_handle is not null)
        {
            return LinuxFiles.Stat(_handle, name);
        }

        var info = new FileInfo(PathOf(name));
        var kind = !info.Exists ? FileKind.Missing : info.LinkTarget is not null ? FileKind.SymbolicLink : FileKind.Regular;
        return new FileIdentity(kind, 0, 0, info.Exists ? info.Length : 0, 1, info.Exists ? info.LastWriteTimeUtc : default);
    }

    /// <summary>Removes the child folder <paramref name="name"/> when it is empty; false otherwise.</summary>
    public bool RemoveIfEmpty(string name)
    {
        if (_handle is not null)
        {
            return LinuxFiles.RemoveEmptyFolder(_handle, name);
        }

        string child = PathOf(name);
        if (!Directory.Exists(child) || Directory.EnumerateFileSystemEntries(child).Any())
        {
            return false;
        }

        Directory.Delete(child);
        return true;
    }

    public void Dispose() => _handle?.Dispose();

    private string PathOf(string name) => System.IO.Path.Join(Path, name);

    private static void RefuseLinks(string root, string directory)
    {
        for (string current = directory; current.Length > root.Length; current = System.IO.Path.GetDirectoryName(current)!)
        {
            if (new DirectoryInfo(current).LinkTarget is not null)
            {
                throw new SpecialFileException(current, FileKind.SymbolicLink);
            }
        }
    }
}
