using System.ComponentModel;
using System.Diagnostics;

namespace SyncTooling.Commands;

/// <summary>
/// Runs one argument vector without a shell, keeps the last lines of stderr, and kills the process and its
/// children when cancelled.
/// </summary>
internal static class CommandRunner
{
    public const int StderrLinesKept = 20;

    /// <summary>Runs the command to its end.</summary>
    /// <returns>The exit code and the last <see cref="StderrLinesKept"/> lines of stderr.</returns>
    /// <exception cref="Win32Exception">The program could not be started (not found, not executable).</exception>
    public static async Task<(int ExitCode, IReadOnlyList<string> StderrTail)> RunAsync(IReadOnlyList<string> argv, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        foreach (string argument in argv.Skip(1))
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = startInfo };
        var tail = new Queue<string>(StderrLinesKept);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (tail)
            {
                if (tail.Count == StderrLinesKept)
                {
                    tail.Dequeue();
                }

                tail.Enqueue(e.Data);
            }
        };

        // stdout is drained so a chatty tool never blocks on a full pipe; its content is not needed.
        process.OutputDataReceived += (_, _) => { };
        process.Start();
        process.StandardInput.Close();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            throw;
        }

        // WaitForExitAsync has also waited for the redirected streams to end, so the tail is whole.
        lock (tail)
        {
            return (process.ExitCode, tail.ToArray());
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);

            // Reap it, so no zombie is left and its children are gone before the caller moves on.
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // It exited on its own between the cancellation and the kill.
        }
        catch (Win32Exception)
        {
            // Already gone, or not ours to kill any more.
        }
    }
}
