using System.Runtime.InteropServices;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>Creates a file whose name is raw bytes (e.g. not valid UTF-8), which .NET's path APIs cannot spell.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class RawFileName
{
    /// <summary>Creates <paramref name="folder"/>/<paramref name="name"/> (raw bytes) holding <paramref name="content"/>.</summary>
    public static void Create(string folder, byte[] name, byte[] content)
    {
        byte[] path = [.. System.Text.Encoding.UTF8.GetBytes(folder + "/"), .. name, 0];
        int fd = Open(path, 0x41 /* O_WRONLY | O_CREAT */, 0x1A4 /* 0644 */);
        if (fd < 0)
        {
            throw new IOException($"open failed with errno {Marshal.GetLastWin32Error()}");
        }

        try
        {
            if (Write(fd, content, content.Length) != content.Length)
            {
                throw new IOException($"write failed with errno {Marshal.GetLastWin32Error()}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>True when <paramref name="folder"/> still holds an entry named <paramref name="name"/> (raw bytes).</summary>
    public static bool Exists(string folder, byte[] name) =>
        Access([.. System.Text.Encoding.UTF8.GetBytes(folder + "/"), .. name, 0], 0 /* F_OK */) == 0;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(byte[] path, int flags, int mode);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern nint Write(int fd, byte[] buffer, nint count);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "access", SetLastError = true)]
    private static extern int Access(byte[] path, int mode);
}
