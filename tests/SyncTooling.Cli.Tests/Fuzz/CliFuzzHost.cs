using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Storage.Memory;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests.Fuzz;

/// <summary>
/// Runs `sync` in-process on fuzzed arguments, safely: local paths outside a temp folder, and every network
/// backend, have no storage (the tool's own "no backend" usage error), so no input can touch the machine or the
/// network. Checks what every run must do: a documented exit code, one `error:` line when it fails, no stack trace
/// without -v, no "unexpected" exception, and never the secret any input carries.
/// </summary>
public sealed class CliFuzzHost : IDisposable
{
    /// <summary>The secret the generators and corpus files put into locations; it must never be printed.</summary>
    public const string Secret = "Zq9Secret";

    private readonly TempDirectory _temp = new();
    private readonly StorageRegistry _registry;

    public CliFuzzHost()
    {
        _temp.Write("src/a.txt", "alpha");
        _temp.Write("src/sub/b.tmp", "beta");
        _temp.Write("config/valid.json", """{ "UploadDir": "/data/runs", "SyncPeriod": 60, "Exclude": ["*.tmp"] }""");
        Directory.CreateDirectory(_temp.Combine("dst"));
        _registry = new StorageRegistry()
            .Register("memory", uri => new MemoryStorage(uri))
            .Register("file", uri => IsInside(uri.Path) ? new FileStorage(uri) : throw new NotSupportedException($"'{uri}' is outside the fuzz folder."));
    }

    public string Root => _temp.Path;

    /// <summary>{src}, {dst}, {dir} and {config} stand for the host's folders and a valid config file.</summary>
    public string[] Expand(IEnumerable<string> args) => args
        .Select(a => a.Replace("{src}", _temp.Combine("src"), StringComparison.Ordinal)
            .Replace("{dst}", _temp.Combine("dst"), StringComparison.Ordinal)
            .Replace("{config}", _temp.Combine("config", "valid.json"), StringComparison.Ordinal)
            .Replace("{dir}", _temp.Path, StringComparison.Ordinal))
        .ToArray();

    public async Task<CliResult> RunAsync(string[] args, TimeProvider? timeProvider = null)
    {
        var result = await SyncRun.RunAsync(new TestConsole(), Expand(args), timeProvider, _registry);
        Check(args, result);
        return result;
    }

    public static void Check(string[] args, CliResult result)
    {
        string context = $"args: [{string.Join(", ", args.Select(SyncTooling.Tests.Fuzz.FuzzPass.Escape))}]\nexit {result.ExitCode}\nstdout: {result.Stdout}\nstderr: {result.Stderr}";
        Assert.True(result.ExitCode is 0 or 1 or 2 or 3, context);
        string[] errorLines = result.Stderr.Split('\n').Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToArray();
        Assert.True(errorLines.Length <= 1, "more than one error line\n" + context);
        if (result.ExitCode != 0 && errorLines.Length == 0)
        {
            // `sync validate` reports the errors it found as its result, on stdout, each with its rule id.
            Assert.True(
                result.StdoutLines.Any(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^SYNC\d{3} error: |""severity"":""error""")),
                "a failure without an error line or an error finding\n" + context);
        }
        Assert.False(result.Stderr.Contains("error: unexpected ", StringComparison.Ordinal), context);
        if (!args.Any(a => a is "-v" or "--verbose"))
        {
            Assert.False(result.Stderr.Split('\n').Any(l => l.StartsWith("   at ", StringComparison.Ordinal)), "a stack trace without -v\n" + context);
        }

        Assert.False((result.Stdout + result.Stderr).Contains(Secret, StringComparison.Ordinal), "the secret was printed\n" + context);
    }

    public void Dispose() => _temp.Dispose();

    private bool IsInside(string path) => path.StartsWith(_temp.Path + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
