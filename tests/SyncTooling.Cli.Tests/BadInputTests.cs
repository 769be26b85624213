using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Storage.Memory;
using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests;

/// <summary>Each bad input: the exact one-line message, the exit code, and nothing changed on either side.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public BadInputTests()
    {
        _temp.Write("local/a.txt", "alpha");
        _temp.Write("remote/old.txt", "old");
    }

    private string Local => _temp.Combine("local");

    private string Remote => _temp.Combine("remote");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public Task UnknownScheme() => AssertRejected(
        ["up", Local, "ftp://host/dir"],
        2,
        "error: SYNC001: REMOTE: 'ftp://host/dir' is not a supported storage location: unknown scheme 'ftp'. Supported: a local path, file:///path, memory://name/path, s3://bucket/prefix, gs://bucket/prefix, hdfs://host:port/path, az://container/prefix, abfs[s]://container@account.dfs.core.windows.net/prefix.");

    [Fact]
    public Task MissingSource() => AssertRejected(
        ["up", _temp.Combine("missing"), Remote, "--delete", "-q"],
        3,
        $"error: Source '{_temp.Combine("missing")}' does not exist. Nothing was transferred or deleted.");

    [Fact]
    public Task BadExcludePattern_IsAnErrorOnTheCommandLine() => AssertRejected(
        ["up", Local, Remote, "-x", "/abs/*.tmp"],
        2,
        "error: SYNC009: Exclude pattern '/abs/*.tmp': patterns match paths relative to the sync root, which never start with '/'. Patterns use fnmatch syntax: *, ?, [seq], [!seq].");

    [Fact]
    public Task NegativePeriod() => AssertRejected(
        ["watch", Local, Remote, "--period=-5"],
        2,
        "error: --period is -5; it must be a number of seconds greater than 0.");

    [Fact]
    public Task UnknownOption() => AssertRejected(
        ["up", Local, Remote, "--frobnicate"],
        2,
        "error: Unrecognized option '--frobnicate'. Run 'sync up --help' for the options.");

    [Theory]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("3")]
    [InlineData("1/3/2")]
    public Task BadShard(string shard) => AssertRejected(
        ["up", Local, Remote, "--shard", shard],
        2,
        $"error: --shard is '{shard}'; it must be K/N, shard K of N, with 1 <= K <= N <= 100000 (numbered from 1, e.g. 1/4).");

    [Fact]
    public Task ZeroJobs() => AssertRejected(
        ["up", Local, Remote, "-j", "0"],
        2,
        "error: --jobs is 0; it must be between 1 and 256.");

    [Fact]
    public Task MissingArgument() => AssertRejected(
        ["down", Remote],
        2,
        "error: missing LOCAL: sync down REMOTE LOCAL.");

    // Every scheme of the grammar has a backend in the default build now; a build without hdfs:// is simulated.
    [Fact]
    public Task NoBackendForScheme() => AssertRejected(
        ["up", Local, "hdfs://namenode:9870/data", "-q"],
        2,
        "error: 'hdfs://namenode:9870/data' uses hdfs://, which has no storage backend in this build. Available: file://, memory://.",
        new StorageRegistry().Register("file", uri => new FileStorage(uri)).Register("memory", uri => new MemoryStorage(uri)));

    [Fact]
    public Task ZeroTimeout() => AssertRejected(
        ["up", Local, Remote, "--timeout", "0"],
        2,
        "error: --timeout is 0; it must be a number of seconds greater than 0.");

    [Fact]
    public async Task VerboseAddsTheStackTrace()
    {
        var result = await SyncRun.RunAsync("up", _temp.Combine("missing"), Remote, "-v");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("SyncTooling.SourceNotFoundException", result.Stderr);
        Assert.Contains("   at ", result.Stderr);
    }

    [Fact]
    public async Task JsonErrorsAreEventsToo()
    {
        var result = await SyncRun.RunAsync("up", Local, Remote, "-j", "0", "--json");

        var error = Assert.Single(result.JsonEvents());
        Assert.Equal("error", error.GetProperty("event").GetString());
        Assert.Equal(2, error.GetProperty("exitCode").GetInt32());
        Assert.Equal("--jobs is 0; it must be between 1 and 256.", error.GetProperty("message").GetString());
    }

    private async Task AssertRejected(string[] args, int exitCode, string message, StorageRegistry? registry = null)
    {
        var localBefore = TempDirectory.Snapshot(Local);
        var remoteBefore = TempDirectory.Snapshot(Remote);

        var result = await SyncRun.RunAsync(new TestConsole(), args, registry: registry);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Equal(message + "\n", result.Stderr);
        Assert.Equal(localBefore, TempDirectory.Snapshot(Local));
        Assert.Equal(remoteBefore, TempDirectory.Snapshot(Remote));
    }
}
