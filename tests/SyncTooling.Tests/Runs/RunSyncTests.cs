using Microsoft.Extensions.Time.Testing;
using SyncTooling.Runs;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Storage.Memory;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Runs;

public sealed class RunSyncTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _clock = new();

    public void Dispose() => _temp.Dispose();

    // s3:// locations land in the memory store, so the cloud policy is tested without a server.
    private static readonly StorageRegistry CloudInMemory = new StorageRegistry()
        .Register("file", uri => new FileStorage(uri))
        .Register("memory", uri => new MemoryStorage(uri))
        .Register("s3", uri => new MemoryStorage(StorageUri.Parse($"memory://{uri.Authority}/{uri.Path}")));

    private string RunDir()
    {
        _temp.Write("run/result.json", "{}");
        _temp.Write("run/artifacts/plot.png", "png");
        return _temp.Combine("run");
    }

    private string Checkpoint(int i)
    {
        string dir = _temp.Combine("run", $"checkpoint_{i:000000}");
        _temp.Write($"run/checkpoint_{i:000000}/model.bin", $"weights {i}");
        return dir;
    }

    private Task<RunSync> StartAsync(SyncConfig config, RecordingSyncer syncer) =>
        RunSync.StartAsync(config, RunDir(), "exp", "trial_1", new RunSyncOptions { Syncer = syncer, TimeProvider = _clock, Registry = CloudInMemory });

    [Fact]
    public async Task EightReports_SixtySecondPeriod_TwoSecondSyncer_GiveTwoSyncs()
    {
        var config = new SyncConfig { UploadDir = "memory://runs/a", SyncPeriod = TimeSpan.FromSeconds(60) };
        using var syncer = new RecordingSyncer(_clock, config.SyncPeriod, duration: TimeSpan.FromSeconds(2));

        // Not completed: the final sync would wait on a clock nobody advances. Disposing the syncer cancels it.
        var run = await StartAsync(config, syncer);

        for (int step = 0; step < 8; step++)
        {
            run.Report();
            await syncer.AdvanceAsync(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(2, run.PeriodicSyncs);
        Assert.Equal(2, syncer.Operations.Count);
    }

    [Fact]
    public async Task Reports_WhileASyncIsInFlight_AreSkipped()
    {
        var config = new SyncConfig { UploadDir = "memory://runs/b", SyncPeriod = TimeSpan.FromSeconds(1) };
        using var syncer = new RecordingSyncer(_clock, config.SyncPeriod, duration: TimeSpan.FromSeconds(2));

        // Not completed: the final sync would wait on a clock nobody advances. Disposing the syncer cancels it.
        var run = await StartAsync(config, syncer);

        for (int step = 0; step < 8; step++)
        {
            run.Report();
            await syncer.AdvanceAsync(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(4, run.PeriodicSyncs); // t = 0, 2, 4, 6: the calls at odd seconds found a sync in flight
    }

    [Fact]
    public async Task PeriodicSync_LeavesCheckpointsAndArtifactsOut_ByDefault()
    {
        var config = new SyncConfig { UploadDir = "memory://runs/c" };
        using var syncer = new RecordingSyncer(_clock, config.SyncPeriod);
        await using var run = await StartAsync(config, syncer);

        run.Report();
        await syncer.WaitAsync();

        var op = Assert.Single(syncer.Operations);
        Assert.Equal(run.LocalRunDir, op.Source);
        Assert.Equal("memory://runs/c/exp/trial_1", op.Destination);
        Assert.Equal(["checkpoint_*/", "artifacts/"], op.Exclude);
    }

    [Fact]
    public async Task Checkpoint_OnCloudStorage_IsUploadedNow_EvenWithSyncOnCheckpointFalse()
    {
        var config = new SyncConfig { UploadDir = "s3://bucket/runs", SyncOnCheckpoint = false };
        using var syncer = new RecordingSyncer(_clock, config.SyncPeriod);
        await using var run = await StartAsync(config, syncer);

        string? remote = await run.CheckpointAsync(Checkpoint(0));

        Assert.Equal("s3://bucket/runs/exp/trial_1/checkpoint_000000", remote);
        Assert.Equal(("up", Checkpoint(0), remote), (syncer.Operations[0].Kind, syncer.Operations[0].Source, syncer.Operations[0].Destination));
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public async Task Checkpoint_OnFileStorage_FollowsSyncOnCheckpoint(bool syncOnCheckpoint, int uploadsNow)
    {
        var config = new SyncConfig { UploadDir = _temp.Combine("nfs"), SyncOnCheckpoint = syncOnCheckpoint };
        using var syncer = new RecordingSyncer(_clock, config.SyncPeriod);
        await using var run = await StartAsync(config, syncer);

        await run.CheckpointAsync(Checkpoint(3));
        int afterCheckpoint = syncer.Operations.Count;
        run.Report();
        await syncer.WaitAsync();

        Assert.Equal(uploadsNow, afterCheckpoint);
        Assert.Equal(syncOnCheckpoint, syncer.Operations[^1].Exclude.Contains("checkpoint_*/"));
    }

    [Theory]
    [InlineData(true, true, 2)]
    [InlineData(true, false, 1)]
    [InlineData(false, true, 1)]
    public async Task Artifacts_GoWithCheckpoints_OnlyWhenBothSettingsAreOn(bool artifacts, bool onCheckpoint, int operations)
    {
        var config = new SyncConfig { UploadDir = "memory://runs/d", SyncArtifacts = artifacts, SyncArtifactsOnCheckpoint = onCheckpoint };
        using var syncer = new RecordingSyncer(_clock, config.SyncPeriod);
        await using var run = await StartAsync(config, syncer);

        await run.CheckpointAsync(Checkpoint(1));

        Assert.Equal(operations, syncer.Operations.Count);
        if (operations == 2)
        {
            Assert.Equal("memory://runs/d/exp/trial_1/artifacts", syncer.Operations[1].Destination);
        }
    }

    [Fact]
    public async Task Complete_RunsAFinalSync_AndSurfacesItsError()
    {
        var config = new SyncConfig { UploadDir = "memory://runs/e" };
        using var syncer = new RecordingSyncer(_clock, config.SyncPeriod) { FailWith = new IOException("disk on fire") };
        var run = await StartAsync(config, syncer);

        var ex = await Assert.ThrowsAsync<IOException>(() => run.CompleteAsync());

        Assert.Equal("disk on fire", ex.Message);
        Assert.Equal(["artifacts/"], Assert.Single(syncer.Operations).Exclude);
        Assert.Throws<InvalidOperationException>(() => run.Report());
    }

    [Fact]
    public async Task Start_FailsAtOnce_WhenStorageIsNotWritable()
    {
        _temp.Write("blocker", "a file where a folder should be");
        var config = new SyncConfig { UploadDir = _temp.Combine("blocker", "runs") };

        await Assert.ThrowsAsync<StorageException>(() => RunSync.StartAsync(config, RunDir(), "exp", "trial"));
    }

    [Fact]
    public async Task NoUploadDir_SyncsNothing()
    {
        await using var run = await RunSync.StartAsync(new SyncConfig(), RunDir(), "exp", "trial");

        Assert.False(run.Report());
        Assert.Null(await run.CheckpointAsync(Checkpoint(0)));
        Assert.Null(run.RemoteTrialDir);
    }

    [Fact]
    public async Task EndToEnd_UsesRaysLayout()
    {
        string upload = _temp.Combine("results");
        var config = new SyncConfig { UploadDir = upload };
        await using (var run = await RunSync.StartAsync(config, RunDir(), "my_exp", "trial_0001"))
        {
            await run.CheckpointAsync(Checkpoint(0));
            await run.CheckpointAsync(Checkpoint(1));
        }

        Assert.Equal(
            [".synctooling-write-check", "trial_0001/checkpoint_000000/model.bin", "trial_0001/checkpoint_000001/model.bin", "trial_0001/result.json"],
            TempDirectory.Snapshot(Path.Combine(upload, "my_exp")).Keys);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("")]
    public async Task Names_MustBeOneSegment(string trial)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => RunSync.StartAsync(new SyncConfig(), RunDir(), "exp", trial));
    }

    /// <summary>Records operations; each takes <c>duration</c> on the manual clock.</summary>
    private sealed class RecordingSyncer(FakeTimeProvider clock, TimeSpan period, TimeSpan? duration = null)
        : Syncer(period, null, clock)
    {
        public List<(string Kind, string Source, string Destination, IReadOnlyList<string> Exclude)> Operations { get; } = [];

        public Exception? FailWith { get; init; }

        public async Task AdvanceAsync(TimeSpan by)
        {
            // Let a just-started operation register its delay timer before time moves. Real time on purpose: Syncer
            // starts an operation on the thread pool and says nothing when it has (a Report may start none), so
            // there is no signal to await; the 20 ms only orders two steps, the fake clock still decides every result.
            await Task.Delay(20);
            clock.Advance(by);
            await Task.Delay(20);
        }

        protected override Task SyncUpCoreAsync(string localDir, string remoteDir, IReadOnlyList<string> exclude, CancellationToken cancellationToken) =>
            Run("up", localDir, remoteDir, exclude, cancellationToken);

        protected override Task SyncDownCoreAsync(string remoteDir, string localDir, IReadOnlyList<string> exclude, CancellationToken cancellationToken) =>
            Run("down", remoteDir, localDir, exclude, cancellationToken);

        protected override Task DeleteCoreAsync(string remoteDir, CancellationToken cancellationToken) =>
            Run("delete", remoteDir, string.Empty, [], cancellationToken);

        private async Task Run(string kind, string source, string destination, IReadOnlyList<string> exclude, CancellationToken cancellationToken)
        {
            lock (Operations)
            {
                Operations.Add((kind, source, destination, exclude));
            }

            if (FailWith is not null)
            {
                throw FailWith;
            }

            if (duration is { } d)
            {
                await Task.Delay(d, clock, cancellationToken);
            }
        }
    }
}
