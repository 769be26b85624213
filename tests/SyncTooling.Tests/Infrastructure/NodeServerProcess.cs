using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>
/// A test server that node runs from a package in tests/FOLDER (installed with `npm ci` from its committed lockfile
/// on first use), listening on a free port it prints on stdout. Killed, with its children, by its own PID.
/// </summary>
internal sealed class NodeServerProcess : IDisposable
{
    private readonly Process _process;

    private NodeServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <param name="name">The server's name, for the start-up error.</param>
    /// <param name="folder">The package folder below tests/.</param>
    /// <param name="script">The script to run, relative to <paramref name="folder"/>.</param>
    /// <param name="arguments">The script's arguments.</param>
    /// <param name="listening">Matches the stdout line that says it listens; group 1 is the port.</param>
    /// <param name="startup">How long start-up may take.</param>
    /// <param name="environment">Extra environment variables.</param>
    public static async Task<NodeServerProcess> StartAsync(string name, string folder, string script, IEnumerable<string> arguments, Regex listening, TimeSpan startup, IReadOnlyDictionary<string, string>? environment = null)
    {
        string packageFolder = Path.Combine(RepositoryRoot.Path, "tests", folder);
        string scriptPath = Path.Combine(packageFolder, script);
        await NpmInstall.EnsureAsync(packageFolder, scriptPath);

        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(scriptPath);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null && listening.Match(e.Data) is { Success: true } m)
            {
                port.TrySetResult(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (await Task.WhenAny(port.Task, process.WaitForExitAsync(), Task.Delay(startup)) != port.Task)
        {
            Stop(process);
            lock (stderr)
            {
                throw new InvalidOperationException($"{name} did not start: {stderr}");
            }
        }

        return new NodeServerProcess(process, await port.Task);
    }

    public void Dispose() => Stop(_process);

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        process.Dispose();
    }
}
