using System.Text.Json;
using SyncTooling.Storage;

namespace SyncTooling.Cli.Tests.Infrastructure;

/// <summary>What one run of the command line left behind.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    /// <summary>Every stdout line parsed as JSON; fails the test when a line is not a JSON object.</summary>
    public List<JsonElement> JsonEvents() => StdoutLines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
}

/// <summary>Runs `sync ...` in-process through a test console.</summary>
public static class SyncRun
{
    public static async Task<CliResult> RunAsync(params string[] args) => await RunAsync(new TestConsole(), args);

    public static async Task<CliResult> RunAsync(TestConsole console, string[] args, TimeProvider? timeProvider = null, StorageRegistry? registry = null)
    {
        int exitCode = await SyncCli.RunAsync(console, args, timeProvider ?? TimeProvider.System, registry: registry);
        return new CliResult(exitCode, console.Stdout, console.Stderr);
    }
}
