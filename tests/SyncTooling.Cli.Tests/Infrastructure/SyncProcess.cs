using System.Diagnostics;
using System.Text;

namespace SyncTooling.Cli.Tests.Infrastructure;

/// <summary>
/// The built `sync` tool as a child process (<c>dotnet sync.dll</c> from this test's output folder), so a test
/// can kill it with SIGKILL the way a crash or an OOM killer would. Only this process is ever killed.
/// </summary>
public sealed class SyncProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private int _doneLines;

    private SyncProcess(Process process)
    {
        _process = process;
    }

    /// <summary>"done KEY" lines seen so far (plain output: one per finished file).</summary>
    public int FilesDone => Volatile.Read(ref _doneLines);

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>The environment of a child process that talks to a test S3 server: its keys, and no instance-metadata lookup.</summary>
    public static Dictionary<string, string> AwsEnvironment(string accessKey, string secretKey) => new()
    {
        ["AWS_ACCESS_KEY_ID"] = accessKey,
        ["AWS_SECRET_ACCESS_KEY"] = secretKey,
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    };

    public static SyncProcess Start(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        StartExecutable(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", environment, [Path.Combine(AppContext.BaseDirectory, "sync.dll"), .. args]);

    /// <summary>Another build of the tool, <paramref name="executable"/> (the installed native one), the same way.</summary>
    public static SyncProcess StartExecutable(string executable, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var result = new SyncProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (result._stdout)
            {
                result._stdout.AppendLine(e.Data);
            }

            if (e.Data.StartsWith("done ", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref result._doneLines);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (result._stderr)
            {
                result._stderr.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds; false when the process ended first or time ran out.</summary>
    public async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        while (!condition())
        {
            if (_process.HasExited || timeout.IsCancellationRequested)
            {
                return condition();
            }

            await Task.Delay(20, CancellationToken.None);
        }

        return true;
    }

    /// <summary>SIGKILL: no handler runs, no temp file is cleaned up.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task<int> WaitForExitAsync(TimeSpan bound)
    {
        await _process.WaitForExitAsync().WaitAsync(bound);
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Sends <paramref name="signal"/> (INT, TERM) to this process only, as a terminal or a service manager would.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start");
        await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        _process.Dispose();
    }
}
