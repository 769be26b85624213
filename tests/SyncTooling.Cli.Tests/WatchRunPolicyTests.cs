using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests;

/// <summary>
/// `sync watch` on Ray Tune's run policy. The test is the writer: between clock steps it writes steps,
/// checkpoints and artifacts as a training process would, and checks what the remote holds at each fake time.
/// </summary>
public sealed class WatchRunPolicyTests : IDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _temp = new();
    private readonly TimerSignalingTimeProvider _time = new();
    private readonly TestConsole _console = new();

    private string Local => _temp.Combine("run");

    private string Remote => _temp.Combine("remote");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Checkpoints_GoUpOnceComplete_State_EveryPeriod_Everything_AtExit()
    {
        _temp.Write("run/result.json", "step 1");
        var watch = StartWatch("--period", "60", "--checkpoint-settle", "10");
        await _time.WaitForTimerDueWithinAsync(Settle);
        var atStart = RemoteFiles();

        _temp.Write("run/checkpoint_000001/model.bin", "half");
        await AdvanceAsync(Settle);                                        // t=10: first seen
        _temp.Write("run/checkpoint_000001/model.bin", "half and the rest");
        _temp.Write("run/result.json", "step 2");
        await AdvanceAsync(Settle);                                        // t=20: changed since t=10
        var atTwenty = RemoteFiles();
        await AdvanceAsync(Settle);                                        // t=30: unchanged for 10 s
        var atThirty = RemoteFiles();

        _temp.Write("run/checkpoint_000002/model.bin", "second");
        _temp.Write("run/checkpoint_000002/.complete", string.Empty);
        await AdvanceAsync(Settle);                                        // t=40: marked complete
        var atForty = RemoteFiles();
        await AdvanceAsync(TimeSpan.FromSeconds(20));                      // t=60: the period is up
        var atSixty = RemoteFiles();

        _temp.Write("run/checkpoint_000003/model.bin", "written just before exit");
        _temp.Write("run/result.json", "step 3");
        _temp.Write("run/artifacts/plot.png", "png");
        _console.PressCtrlC();
        int exitCode = await watch;

        Assert.Equal(["result.json=step 1"], atStart);
        Assert.Equal(["result.json=step 1"], atTwenty);
        Assert.Equal(["checkpoint_000001/model.bin=half and the rest", "result.json=step 1"], atThirty);
        Assert.Equal(["checkpoint_000001/model.bin=half and the rest", "checkpoint_000002/.complete=", "checkpoint_000002/model.bin=second", "result.json=step 1"], atForty);
        Assert.Equal("result.json=step 2", atSixty[^1]);
        Assert.Equal(0, exitCode);
        Assert.Equal(
            ["checkpoint_000001/model.bin=half and the rest", "checkpoint_000002/.complete=", "checkpoint_000002/model.bin=second", "checkpoint_000003/model.bin=written just before exit", "result.json=step 3"],
            RemoteFiles());
        Assert.Equal("Stopped after 3 syncs and 2 checkpoint uploads (0 failed before the final one); the final sync succeeded.", _console.Stdout.TrimEnd().Split('\n')[^1]);
    }

    [Fact]
    public async Task CheckpointChangedAfterUpload_GoesUpAgainOnceSettled()
    {
        _temp.Write("run/checkpoint_000001/model.bin", "v1");
        var watch = StartWatch("--period", "600");
        await _time.WaitForTimerDueWithinAsync(Settle);
        await AdvanceAsync(Settle);
        var first = RemoteFiles();

        _temp.Write("run/checkpoint_000001/model.bin", "v2, longer");
        await AdvanceAsync(Settle);
        var whileSettling = RemoteFiles();
        await AdvanceAsync(Settle);
        var settled = RemoteFiles();
        _console.PressCtrlC();
        await watch;

        Assert.Equal(["checkpoint_000001/model.bin=v1"], first);
        Assert.Equal(["checkpoint_000001/model.bin=v1"], whileSettling);
        Assert.Equal(["checkpoint_000001/model.bin=v2, longer"], settled);
    }

    [Fact]
    public async Task NoSyncOnCheckpoint_CheckpointsWaitForThePeriodicSync()
    {
        _temp.Write("run/result.json", "step 1");
        var watch = StartWatch("--period", "60", "--no-sync-on-checkpoint");
        await _time.WaitForTimerDueWithinAsync(TimeSpan.FromSeconds(60));

        _temp.Write("run/checkpoint_000001/model.bin", "weights");
        _temp.Write("run/checkpoint_000001/.complete", string.Empty);
        _time.Advance(TimeSpan.FromSeconds(59));
        await _time.WaitForTimerDueWithinAsync(TimeSpan.FromSeconds(1));
        var beforePeriod = RemoteFiles();
        _time.Advance(TimeSpan.FromSeconds(1));
        await _time.WaitForTimerDueWithinAsync(TimeSpan.FromSeconds(60));
        var afterPeriod = RemoteFiles();
        _console.PressCtrlC();
        await watch;

        Assert.Equal(["result.json=step 1"], beforePeriod);
        Assert.Equal(["checkpoint_000001/.complete=", "checkpoint_000001/model.bin=weights", "result.json=step 1"], afterPeriod);
    }

    [Fact]
    public async Task SyncArtifacts_SendsTheArtifactsFolder_WithStateAndWithEachCheckpoint()
    {
        _temp.Write("run/plots/loss.png", "v1");
        var watch = StartWatch("--period", "600", "--sync-artifacts", "--artifacts-dir", "plots");
        await _time.WaitForTimerDueWithinAsync(Settle);
        var atStart = RemoteFiles();

        _temp.Write("run/plots/loss.png", "v2");
        _temp.Write("run/checkpoint_000001/model.bin", "w");
        _temp.Write("run/checkpoint_000001/.complete", string.Empty);
        await AdvanceAsync(Settle);
        var afterCheckpoint = RemoteFiles();
        _console.PressCtrlC();
        await watch;

        Assert.Equal(["plots/loss.png=v1"], atStart);
        Assert.Equal(["checkpoint_000001/.complete=", "checkpoint_000001/model.bin=w", "plots/loss.png=v2"], afterCheckpoint);
    }

    [Theory]
    [InlineData("error: --sync-on-checkpoint and --no-sync-on-checkpoint contradict each other; give one.", "--sync-on-checkpoint", "--no-sync-on-checkpoint")]
    [InlineData("error: --artifacts-dir is 'a/b'; it must be one folder name inside LOCAL (no '/', '..' or '.').", "--artifacts-dir", "a/b")]
    [InlineData("error: --checkpoint-settle is 0; it must be a number of seconds greater than 0.", "--checkpoint-settle", "0")]
    public async Task ContradictoryOrBadPolicyOptions_AreUsageErrors(string expected, params string[] options)
    {
        _temp.Write("run/result.json", "{}");

        int exitCode = await StartWatch(options);

        Assert.Equal(2, exitCode);
        Assert.Equal(expected + "\n", _console.Stderr);
        Assert.False(Directory.Exists(Remote));
    }

    private List<string> RemoteFiles() =>
        !Directory.Exists(Remote)
            ? []
            : Directory.EnumerateFiles(Remote, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(Remote, f).Replace('\\', '/') + "=" + File.ReadAllText(f))
                .Order(StringComparer.Ordinal)
                .ToList();

    private async Task AdvanceAsync(TimeSpan by)
    {
        for (var moved = TimeSpan.Zero; moved < by; moved += Settle)
        {
            _time.Advance(Settle);
            await _time.WaitForTimerDueWithinAsync(Settle);
        }
    }

    private Task<int> StartWatch(params string[] options) =>
        Task.Run(() => SyncCli.RunAsync(_console, ["watch", Local, Remote, .. options], _time));
}
