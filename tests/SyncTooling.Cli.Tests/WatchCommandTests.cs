using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests;

/// <summary>
/// Watch runs on a manual clock: the test knows a sync has finished when the loop has set its next timer, and
/// moves time on itself in steps of the checkpoint check interval, so nothing sleeps for a period.
/// </summary>
public sealed class WatchCommandTests : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _temp = new();
    private readonly TimerSignalingTimeProvider _time = new();
    private readonly TestConsole _console = new();

    private string Local => _temp.Combine("local");

    private string Remote => _temp.Combine("remote");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SyncsAtStart_EveryPeriod_AndOnceMoreOnCtrlC()
    {
        _temp.Write("local/a.txt", "a");
        var watch = StartWatch();
        await _time.WaitForTimerDueWithinAsync(Settle);
        var afterStart = TempDirectory.Snapshot(Remote).Keys.ToList();

        _temp.Write("local/b.txt", "b");
        await AdvanceAsync(Period);
        var afterPeriod = TempDirectory.Snapshot(Remote).Keys.ToList();

        _temp.Write("local/c.txt", "c");
        bool keptAlive = _console.PressCtrlC();
        int exitCode = await watch;

        Assert.Equal(["a.txt"], afterStart);
        Assert.Equal(["a.txt", "b.txt"], afterPeriod);
        Assert.True(keptAlive);
        Assert.Equal(0, exitCode);
        Assert.Equal(["a.txt", "b.txt", "c.txt"], TempDirectory.Snapshot(Remote).Keys);
        Assert.Equal("Stopped after 3 syncs (0 failed before the final one); the final sync succeeded.", _console.Stdout.TrimEnd().Split('\n')[^1]);
    }

    [Fact]
    public async Task FailedPeriodicSync_IsReportedAndRetriedNextPeriod()
    {
        _temp.Write("local/a.txt", "a");
        var watch = StartWatch();
        await _time.WaitForTimerDueWithinAsync(Settle);

        Directory.Move(Local, _temp.Combine("moved-away"));
        await AdvanceAsync(Period);
        string failure = _console.Stderr;

        Directory.Move(_temp.Combine("moved-away"), Local);
        _temp.Write("local/d.txt", "d");
        await AdvanceAsync(Period);
        var afterRetry = TempDirectory.Snapshot(Remote).Keys.ToList();
        _console.PressCtrlC();
        int exitCode = await watch;

        Assert.Equal($"error: sync 2 failed: Source '{Local}' does not exist. Nothing was transferred or deleted. Retrying in 60 s.\n", failure);
        Assert.Equal(["a.txt", "d.txt"], afterRetry);
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task FailedFinalSync_SetsTheExitCode()
    {
        _temp.Write("local/a.txt", "a");
        var watch = StartWatch();
        await _time.WaitForTimerDueWithinAsync(Settle);

        Directory.Delete(Local, recursive: true);
        _console.PressCtrlC();
        int exitCode = await watch;

        Assert.Equal(3, exitCode);
        Assert.Equal($"error: Source '{Local}' does not exist. Nothing was transferred or deleted.\n", _console.Stderr);
    }

    [Fact]
    public async Task MissingSourceAtStart_ExitsAtOnce()
    {
        int exitCode = await StartWatch();

        Assert.Equal(3, exitCode);
        Assert.False(Directory.Exists(Remote));
    }

    [Fact]
    public async Task LocalIsAFile_ExitsAtOnce_LikeAMissingSource()
    {
        _temp.Write("local", "a file, not a run directory");

        int exitCode = await StartWatch().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(3, exitCode);
        Assert.Equal($"error: LOCAL '{Local}' is a file, not a directory. Nothing was transferred or deleted.\n", _console.Stderr);
        Assert.False(Directory.Exists(Remote));
    }

    /// <summary>Moves the clock one check interval at a time, letting the watch finish each round before the next.</summary>
    private async Task AdvanceAsync(TimeSpan by)
    {
        for (var moved = TimeSpan.Zero; moved < by; moved += Settle)
        {
            _time.Advance(Settle);
            await _time.WaitForTimerDueWithinAsync(Settle);
        }
    }

    private Task<int> StartWatch() =>
        Task.Run(() => SyncCli.RunAsync(_console, ["watch", Local, Remote, "--period", "60"], _time));
}
