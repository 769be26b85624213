using SyncTooling.Cli.Output;
using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Storage;
using SyncTooling.Storage.Memory;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests;

/// <summary>The flags people bring from aws-cli and rclone: what each does to the files and the output.</summary>
public sealed class AwsCliConventionsTests : IDisposable
{
    private static readonly DateTime Old = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime New = new(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly TempDirectory _temp = new();

    public AwsCliConventionsTests()
    {
        _temp.Write("local/a.csv", "a");
        _temp.Write("local/data/b.csv", "b");
        _temp.Write("local/data/c.txt", "c");
        _temp.Write("local/logs/d.log", "d");
        _temp.Write("local/logs/keep.log", "k");
    }

    private string Local => _temp.Combine("local");

    private string Remote => _temp.Combine("remote");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ExcludeEverythingThenIncludeCsv_SyncsOnlyTheCsvFiles_AndTheOtherOrderSyncsNothing()
    {
        var csvOnly = await SyncRun.RunAsync("up", Local, Remote, "--exclude", "*", "--include=*.csv");
        var nothing = await SyncRun.RunAsync("up", Local, _temp.Combine("other"), "--include", "*.csv", "-x", "*", "--json");

        Assert.Equal(0, csvOnly.ExitCode);
        Assert.Equal(["a.csv", "data/b.csv"], TempDirectory.Snapshot(Remote).Keys);
        Assert.Equal(0, nothing.ExitCode);
        Assert.Equal(0, nothing.JsonEvents()[^1].GetProperty("filesTransferred").GetInt32());
    }

    [Fact]
    public async Task IncludeAfterAnExcludedFolder_BringsBackOneFileOfIt()
    {
        var result = await SyncRun.RunAsync("up", Local, Remote, "-x", "logs/", "--include", "logs/keep.log");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["a.csv", "data/b.csv", "data/c.txt", "logs/keep.log"], TempDirectory.Snapshot(Remote).Keys);
    }

    [Fact]
    public async Task ExcludeFrom_ReadsOnePatternALine_SkippingCommentsAndBlankLines_WhereTheOptionStands()
    {
        string file = _temp.Write("patterns.txt", "# build output\n\n*.log\r\ndata/\n");

        var result = await SyncRun.RunAsync("up", Local, Remote, "--exclude-from", file, "--include", "data/b.csv");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["a.csv", "data/b.csv"], TempDirectory.Snapshot(Remote).Keys);
    }

    [Theory]
    [InlineData("--dryrun")]
    [InlineData("-n")]
    public async Task DryRunAliases_ChangeNothing(string flag)
    {
        var result = await SyncRun.RunAsync("up", Local, Remote, flag);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Dry run: would transfer 5 files", result.StdoutLines[^1], StringComparison.Ordinal);
        Assert.False(Directory.Exists(Remote));
    }

    [Fact]
    public async Task SizeOnly_LeavesASameSizeFileWithANewerSourceAlone_TheDefaultCopiesIt()
    {
        SameSizeRemoteCopy(sourceTime: New, remoteTime: Old);

        var sizeOnly = await SyncRun.RunAsync("up", Local, Remote, "--size-only", "--json", "-x", "*", "--include", "a.csv");
        var byDefault = await SyncRun.RunAsync("up", Local, Remote, "--json", "-x", "*", "--include", "a.csv");

        Assert.Equal(0, sizeOnly.JsonEvents()[^1].GetProperty("filesTransferred").GetInt32());
        Assert.Equal(1, byDefault.JsonEvents()[^1].GetProperty("filesTransferred").GetInt32());
        Assert.Equal("a", File.ReadAllText(Path.Combine(Remote, "a.csv")));
    }

    [Fact]
    public async Task ExactTimestamps_CopiesASameSizeFileWithAnOlderSource_TheDefaultLeavesItAlone()
    {
        SameSizeRemoteCopy(sourceTime: Old, remoteTime: New);

        var byDefault = await SyncRun.RunAsync("up", Local, Remote, "--json", "-x", "*", "--include", "a.csv");
        var exact = await SyncRun.RunAsync("up", Local, Remote, "--exact-timestamps", "--json", "-x", "*", "--include", "a.csv");

        Assert.Equal(0, byDefault.JsonEvents()[^1].GetProperty("filesTransferred").GetInt32());
        Assert.Equal(1, exact.JsonEvents()[^1].GetProperty("filesTransferred").GetInt32());
        Assert.Equal("a", File.ReadAllText(Path.Combine(Remote, "a.csv")));
    }

    [Fact]
    public async Task OnlyShowErrors_PrintsNothingWhenAllGoesWell()
    {
        var result = await SyncRun.RunAsync("up", Local, Remote, "--only-show-errors");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout + result.Stderr);
        Assert.Equal(5, TempDirectory.Snapshot(Remote).Count);
    }

    [Fact]
    public async Task NoProgress_OnATerminal_PrintsALinePerFileAndNoLiveLine()
    {
        var result = await SyncRun.RunAsync(new TestConsole(outputRedirected: false), ["up", Local, Remote, "--no-progress"]);

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain('\r', result.Stdout);
        Assert.Contains("done data/b.csv (", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transfers_IsJobs_AndItsRangeIsChecked()
    {
        var result = await SyncRun.RunAsync("up", Local, Remote, "--transfers", "300");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: --jobs is 300; it must be between 1 and 256.\n", result.Stderr);
    }

    [Fact]
    public async Task EndpointUrl_IsUsedForTheS3Location()
    {
        // Nothing listens on port 1: the error names the endpoint the flag gave, so the flag reached the request.
        var result = await SyncRun.RunAsync("ls", "s3://some-bucket/x?access_key=AKIDTEST&secret_key=test-secret", "--endpoint-url", "http://127.0.0.1:1", "--retries", "0", "--timeout", "60");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("127.0.0.1:1", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_GivesTheEndpointAndTheMissingOneIsOneClearLine()
    {
        string config = _temp.Write("aws/config", "[profile lab]\nregion = eu-west-1\nendpoint_url = http://127.0.0.1:1\n");
        string credentials = _temp.Write("aws/credentials", "[lab]\naws_access_key_id = AKIDLAB\naws_secret_access_key = lab-secret\n");
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = _temp.Combine("home"),
            ["AWS_CONFIG_FILE"] = config,
            ["AWS_SHARED_CREDENTIALS_FILE"] = credentials,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };

        using var lab = SyncProcess.Start(environment, "ls", "s3://some-bucket/x", "--profile", "lab", "--retries", "0", "--timeout", "60");
        using var missing = SyncProcess.Start(environment, "ls", "s3://some-bucket/x", "--profile", "nosuch");
        int labExit = await lab.WaitForExitAsync(TimeSpan.FromMinutes(2));
        int missingExit = await missing.WaitForExitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(1, labExit);
        Assert.Contains("127.0.0.1:1", lab.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, missingExit);
        Assert.Equal(
            "error: AWS profile 'nosuch' is in neither the shared config file nor the credentials file (~/.aws/config and ~/.aws/credentials, or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE); add it there or name another profile.\n",
            missing.Stderr.TrimEnd() + "\n");
    }

    [Fact]
    public async Task Ls_AnEmptyPrefixOfAnObjectStore_IsMissing_AsAMissingDirectoryIs()
    {
        var registry = new StorageRegistry().Register("memory", uri => new MemoryStorage(uri)).Register("file", uri => new SyncTooling.Storage.File.FileStorage(uri));

        var store = await SyncRun.RunAsync(new TestConsole(), ["ls", "memory://ls-empty/nothing"], registry: registry);
        var folder = await SyncRun.RunAsync("ls", _temp.Combine("nothing"));

        Assert.Equal((3, 3), (store.ExitCode, folder.ExitCode));
        Assert.Equal("error: 'memory://ls-empty/nothing' does not exist (on an object store: no object has this prefix); nothing was listed.\n", store.Stderr);
        Assert.Equal($"error: '{_temp.Combine("nothing")}' does not exist (on an object store: no object has this prefix); nothing was listed.\n", folder.Stderr);
    }

    [Fact]
    public void ProgressLine_IsCutToTheTerminalWidth()
    {
        var console = new TestConsole(outputRedirected: false);
        var reporter = new SyncReporter(console, OutputMode.Terminal, TimeProvider.System, verbose: false, width: 30);

        reporter.Report(new SyncProgress(1, 123_456, 10, 987_654_321_000, "k"));

        string line = console.Stdout.Split("\u001b[K")[^1];
        Assert.Equal(29, line.Length);
        Assert.StartsWith("1/123456 files, 10 B/", line, StringComparison.Ordinal);
    }

    private void SameSizeRemoteCopy(DateTime sourceTime, DateTime remoteTime)
    {
        File.SetLastWriteTimeUtc(Path.Combine(Local, "a.csv"), sourceTime);
        _temp.Write("remote/a.csv", "z");
        File.SetLastWriteTimeUtc(Path.Combine(Remote, "a.csv"), remoteTime);
    }
}
