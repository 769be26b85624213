namespace SyncTooling.Cli.Config;

/// <summary>
/// Reads a small file named on the command line (--config, --exclude-from) within bounds: /dev/zero never ends and
/// a named pipe that nobody writes to never answers, so the size and the time are both capped.
/// </summary>
internal static class BoundedFile
{
    /// <summary>The most such a file may hold.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>How long the file may take to open and read.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The file's bytes, or a <see cref="UsageException"/> naming <paramref name="option"/> and what the file must be.</summary>
    public static async Task<byte[]> ReadAsync(string path, string option, string kind, string sizeReason, TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        string shown = SyncTooling.Validation.StorageUriGrammar.Printable(path);

        // Opening a FIFO blocks until a writer comes, and neither the open nor a read of a pipe can be cancelled:
        // the read runs on its own and is abandoned at the timeout (the process exits soon after anyway).
        var read = ReadOnOwnThread(path, MaxBytes + 1);
        byte[] bytes;
        try
        {
            bytes = await read.WaitAsync(ReadTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new UsageException($"{option} '{shown}' gave no end of data within {ReadTimeout.TotalSeconds:0} s; it must be {kind} (a named pipe that nobody writes to never ends).");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"{option} '{shown}' cannot be read: {ex.Message}");
        }

        if (bytes.Length > MaxBytes)
        {
            throw new UsageException($"{option} '{shown}' is larger than {MaxBytes / 1024 / 1024} MiB; {sizeReason}");
        }

        return bytes;
    }

    /// <summary>
    /// At most the first <paramref name="limit"/> bytes of a file the tool reads on its own account (not one the user
    /// named), or null when it cannot be read or gives no end within <paramref name="timeout"/> (a named pipe): such
    /// a file is passed over rather than refused, and never holds up the run for longer than the timeout.
    /// </summary>
    public static byte[]? TryReadStart(string path, int limit, TimeSpan timeout)
    {
        var read = ReadOnOwnThread(path, limit);
        try
        {
            return read.Wait(timeout) ? read.Result : null;
        }
        catch (AggregateException ex) when (ex.InnerException is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads on a thread of its own, not the thread pool: a read queued behind a busy pool would miss its timeout
    /// although the file is an ordinary one (seen in CI, where tests keep every pool thread waiting), and a read that
    /// never ends (a FIFO) holds no pool thread. The thread is a background one, so it never keeps the process alive.
    /// </summary>
    private static Task<byte[]> ReadOnOwnThread(string path, int limit)
    {
        var done = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(ReadAtMost(path, limit));
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "bounded file read",
        };
        thread.Start();
        return done.Task;
    }

    private static byte[] ReadAtMost(string path, int limit)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
        var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int n;
        while (buffer.Length < limit && (n = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, limit - buffer.Length))) > 0)
        {
            buffer.Write(chunk, 0, n);
        }

        return buffer.ToArray();
    }
}
