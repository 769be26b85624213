using System.Diagnostics;
using System.Text.RegularExpressions;
using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests.Reliability;

/// <summary>
/// `ls`, `delete` and `up` end within --timeout against servers that never answer, answer one byte at a time or
/// paginate forever, with one error line that says which it was; --retries N sends each request N + 1 times.
/// The tool opens storage through its default registry, as a user's run does (credentials in the location).
/// </summary>
public sealed class BoundedInTimeTests : IDisposable
{
    // Far above --timeout 3: the machine is loaded, but a hang still fails here instead of hanging the run.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _temp = new();

    public BoundedInTimeTests()
    {
        _temp.Write("local/a.txt", "alpha");
    }

    public static TheoryData<string, string> CommandsAndServers
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (string command in new[] { "ls", "delete", "up" })
            {
                foreach (string kind in StallingServers.Kinds)
                {
                    data.Add(command, kind);
                }
            }

            return data;
        }
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [MemberData(nameof(CommandsAndServers))]
    public async Task Command_AgainstAStallingServer_EndsAtTheTimeout_WithOneLineSayingWhichItWas(string command, string kind)
    {
        await using var server = StallingServers.Start(kind);
        var before = TempDirectory.Snapshot(_temp.Combine("local"));
        var clock = Stopwatch.StartNew();

        var result = await SyncRun.RunAsync(new TestConsole(), [.. Args(command, server.LocationWithCredentials("run")), "--timeout", "3"]).WaitAsync(Bound);

        clock.Stop();
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.9), Bound);
        Assert.Equal(1, result.ExitCode);
        string error = Assert.Single(result.Stderr.Split('\n'), l => l.StartsWith("error: ", StringComparison.Ordinal));
        string what = command switch { "ls" => "the listing", "delete" => "the delete", _ => "the sync" };
        Assert.StartsWith($"error: {what} ran longer than --timeout (3 s) and was stopped: ", error, StringComparison.Ordinal);
        Assert.Matches(StallingServers.Message(kind, server), error);
        Assert.DoesNotContain(HostileS3Server.SecretKey, result.Stderr, StringComparison.Ordinal);

        // Transfers overlap the listing (issue 14): `up` against a listing that never ends may already send the new
        // file's PUT (a whole object), never a delete.
        Assert.Equal(0, server.Count(r => r.Method is "DELETE" || (kind != "endless-listing" && r.Method is "PUT" or "POST")));
        Assert.Equal(before, TempDirectory.Snapshot(_temp.Combine("local")));
    }

    [Theory]
    [InlineData("0", 1)]
    [InlineData("2", 3)]
    public async Task Retries_OnAListingThatAlwaysFails_IsTheNumberOfRequestsSentMinusOne(string retries, int requests)
    {
        await using var server = HostileS3Server.Start(r => r.RespondErrorAsync(500, "InternalError"));

        var result = await SyncRun.RunAsync(new TestConsole(), ["up", _temp.Combine("local"), server.LocationWithCredentials("run"), "--retries", retries]).WaitAsync(Bound);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: S3 answered InternalError (500) on listing; retrying may help.", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(requests, server.Requests.Count);
    }

    [Theory]
    [InlineData("0", 1)]
    [InlineData("2", 3)]
    public async Task Retries_OnAPutThatAlwaysFails_IsTheNumberOfPutsSentMinusOne(string retries, int requests)
    {
        await using var server = HostileS3Server.Start(r => r.IsList ? r.RespondListAsync([]) : r.RespondErrorAsync(500, "InternalError"));

        var result = await SyncRun.RunAsync(new TestConsole(), ["up", _temp.Combine("local"), server.LocationWithCredentials("run"), "--retries", retries, "-q"]).WaitAsync(Bound);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(requests, server.Count(r => r.IsPut));
        Assert.Equal(1, server.Count(r => r.IsList));
    }

    [Theory]
    [InlineData("ls", "0", 1)]
    [InlineData("delete", "2", 3)]
    public async Task Retries_AgainstAServerThatResetsEveryConnection_IsTheNumberOfRequestsSentMinusOne(string command, string retries, int requests)
    {
        await using var server = HostileS3Server.Start(r =>
        {
            r.Reset();
            return Task.CompletedTask;
        });

        var result = await SyncRun.RunAsync(new TestConsole(), [.. Args(command, server.LocationWithCredentials("run")), "--retries", retries]).WaitAsync(Bound);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: Network error on listing: ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(requests, server.Requests.Count);
    }

    [Fact]
    public async Task CtrlC_WhileTheServerNeverAnswers_EndsPromptly_AsInterrupted()
    {
        await using var server = HostileS3Server.NeverAccepting();
        var console = new TestConsole();
        var run = SyncRun.RunAsync(console, ["up", _temp.Combine("local"), server.LocationWithCredentials("run"), "--timeout", "600"]);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();

        console.PressCtrlC();
        var result = await run.WaitAsync(Bound);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed} after Ctrl+C");
        Assert.Equal(130, result.ExitCode);
        Assert.EndsWith("error: interrupted; files already written are complete and none was left half-written (the next run resumes a large transfer that was cut off).\n", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MakesNoNetworkCall()
    {
        await using var server = HostileS3Server.Start(r => r.RespondErrorAsync(500, "InternalError"));

        var result = await SyncRun.RunAsync(new TestConsole(), ["validate", "--upload-dir", server.Location("run")]).WaitAsync(Bound);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("The configuration is valid: no findings.\n", result.Stdout);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("up")]
    [InlineData("down")]
    [InlineData("watch")]
    [InlineData("ls")]
    [InlineData("delete")]
    public async Task Help_OfEveryCommandThatTalksToStorage_ShowsTimeoutAndRetries(string command)
    {
        var result = await SyncRun.RunAsync(command, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"--timeout <SECONDS> +Stop after this many seconds, whatever the server does \(default 1800", result.Stdout);
        Assert.Contains("--retries <N>", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("The command ends within --timeout (default 1800 s) whatever the server does", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_OfValidate_SaysItNeedsNoTimeout()
    {
        var result = await SyncRun.RunAsync("validate", "--help");

        Assert.Contains("It reads no storage and makes no network call, so it needs no --timeout.", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("--timeout <SECONDS>", result.Stdout, StringComparison.Ordinal);
    }

    private string[] Args(string command, string remote) => command switch
    {
        "ls" => ["ls", remote],
        "delete" => ["delete", remote],
        _ => ["up", _temp.Combine("local"), remote],
    };
}
