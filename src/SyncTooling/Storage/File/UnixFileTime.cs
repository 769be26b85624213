using System.Runtime.InteropServices;

namespace SyncTooling.Storage.File;

/// <summary>
/// Reads and sets a file's modification time to the nanosecond on 64-bit Linux (statx, utimensat), where .NET's
/// own APIs stop at 100 ns: rclone compares local times to the nanosecond, so a time cut to 100 ns looks changed
/// to it. Elsewhere it falls back to .NET's 100 ns times.
/// </summary>
internal static partial class UnixFileTime
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxMtime = 0x40;
    private const long UtimeOmit = (1L << 30) - 2;

    private static bool Native => OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    /// <summary>The modification time of the file at <paramref name="path"/>, or null when it cannot be read.</summary>
    public static UnixTime? TryRead(string path)
    {
        if (Native)
        {
            try
            {
                return Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxMtime, out var buffer) == 0 && (buffer.Mask & StatxMtime) != 0
                    ? new UnixTime(((Int128)buffer.MtimeSeconds * 1_000_000_000L) + buffer.MtimeNanoseconds)
                    : null;
            }
            catch (EntryPointNotFoundException)
            {
                // glibc before 2.28 has no statx: fall through to 100 ns.
            }
        }

        try
        {
            return UnixTime.From(new DateTimeOffset(System.IO.File.GetLastWriteTimeUtc(path)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Sets the modification time of the file at <paramref name="path"/> (not following a link); false when it could not.</summary>
    public static bool TrySet(string path, UnixTime time)
    {
        if (Native)
        {
            var (wholeSeconds, rest) = Int128.DivRem(time.Nanoseconds, 1_000_000_000L);
            long seconds = (long)wholeSeconds;
            long nanoseconds = (long)rest;
            if (nanoseconds < 0)
            {
                seconds--;
                nanoseconds += 1_000_000_000L;
            }

            var times = new TimespecPair { AccessNanoseconds = UtimeOmit, ModifiedSeconds = seconds, ModifiedNanoseconds = nanoseconds };
            return UtimensAt(AtFdCwd, path, ref times, AtSymlinkNoFollow) == 0;
        }

        try
        {
            System.IO.File.SetLastWriteTimeUtc(path, time.ToDateTimeOffset().UtcDateTime);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, out StatxBuffer buffer);

    [LibraryImport("libc", EntryPoint = "utimensat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int UtimensAt(int dirfd, string path, ref TimespecPair times, int flags);

    /// <summary>struct statx (the same layout on every architecture): only the mask and stx_mtime are read.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(0x00)]
        public uint Mask;

        [FieldOffset(0x70)]
        public long MtimeSeconds;

        [FieldOffset(0x78)]
        public uint MtimeNanoseconds;
    }

    /// <summary>struct timespec[2] on 64-bit Linux: access time (left alone with UTIME_OMIT), then modification time.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct TimespecPair
    {
        public long AccessSeconds;
        public long AccessNanoseconds;
        public long ModifiedSeconds;
        public long ModifiedNanoseconds;
    }
}
