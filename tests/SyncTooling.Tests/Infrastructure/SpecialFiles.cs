using System.Diagnostics;
using System.Net.Sockets;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>Makes the real special files a local tree can hold: a FIFO, a bound Unix socket, a character device.</summary>
public static class SpecialFiles
{
    public static void Fifo(string path) => Run("mkfifo", path);

    /// <summary>/dev/null's numbers (c 1 3): reading it ends at once, opening it has no side effect.</summary>
    public static void NullDevice(string path) => Run("mknod", path, "c", "1", "3");

    /// <summary>Binds a Unix socket at <paramref name="path"/>; .NET removes the socket file when the socket is disposed.</summary>
    public static Socket Socket(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    private static void Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true })!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: {error}");
        }
    }
}
