namespace SyncTooling.Tests.Reliability;

/// <summary>Syncer called from many threads at once: one operation at a time, as its contract says.</summary>
public sealed class SyncerConcurrencyTests
{
    [Fact]
    public async Task SyncUp_FromEightThreadsAtOnce_StartsExactlyOneOperation()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var syncer = new CountingSyncer(_ => release.Task);
        using var start = new Barrier(8);

        var calls = Enumerable.Range(0, 8).Select(i => Task.Run(() =>
        {
            start.SignalAndWait();
            return syncer.SyncUp("/data/run", $"memory://concurrency/{i}");
        })).ToArray();
        bool[] started = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromMinutes(1));
        release.SetResult();
        syncer.Wait();

        Assert.Single(started, s => s);
        Assert.Equal(1, syncer.Runs);
    }

    [Fact]
    public async Task SyncUpAsync_FromEightThreadsAtOnce_RunsEveryOperation_OneAtATime()
    {
        using var syncer = new CountingSyncer(ct => Task.Delay(20, ct));
        using var start = new Barrier(8);

        var calls = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            start.SignalAndWait();
            await syncer.SyncUpAsync("/data/run", $"memory://concurrency/{i}");
        })).ToArray();
        await Task.WhenAll(calls).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(8, syncer.Runs);
        Assert.Equal(1, syncer.MostAtOnce);
    }

    /// <summary>Counts operations and the most that ever ran at the same time.</summary>
    private sealed class CountingSyncer(Func<CancellationToken, Task> work) : Syncer
    {
        private int _running;
        private int _runs;
        private int _mostAtOnce;

        public int Runs => Volatile.Read(ref _runs);

        public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

        protected override Task SyncUpCoreAsync(string localDir, string remoteDir, IReadOnlyList<string> exclude, CancellationToken cancellationToken) => RunAsync(cancellationToken);

        protected override Task SyncDownCoreAsync(string remoteDir, string localDir, IReadOnlyList<string> exclude, CancellationToken cancellationToken) => RunAsync(cancellationToken);

        protected override Task DeleteCoreAsync(string remoteDir, CancellationToken cancellationToken) => RunAsync(cancellationToken);

        private async Task RunAsync(CancellationToken cancellationToken)
        {
            int now = Interlocked.Increment(ref _running);
            Interlocked.Increment(ref _runs);
            int most;
            while (now > (most = Volatile.Read(ref _mostAtOnce)) && Interlocked.CompareExchange(ref _mostAtOnce, now, most) != most)
            {
            }

            try
            {
                await work(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }
}
