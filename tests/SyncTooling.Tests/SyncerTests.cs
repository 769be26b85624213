using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests;

/// <summary>Ray Tune's syncer tests (python/ray/tune/tests/test_syncer.py), in C#.</summary>
public sealed class SyncerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The exclude fixture from Ray's tests.</summary>
    private string ExcludeFixture()
    {
        string[] files =
        [
            "level0.txt", "level0_exclude.txt", "subdir/level1.txt", "subdir/level1_exclude.txt",
            "subdir/nested/level2.txt", "subdir_nested_level2_exclude.txt", "subdir_exclude/something/somewhere.txt",
        ];
        foreach (string f in files)
        {
            _temp.Write("source/" + f, "Data");
        }

        return _temp.Combine("source");
    }

    public sealed class DefaultSyncer : IDisposable
    {
        private readonly SyncerTests _t = new();

        public void Dispose() => _t.Dispose();

        [Fact]
        public void SyncUpThenDown_RoundTrips()
        {
            string source = _t.ExcludeFixture();
            string remote = $"memory://syncer/{Guid.NewGuid():N}";
            using var syncer = new StorageSyncer();

            Assert.True(syncer.SyncUp(source, remote));
            syncer.Wait();
            Assert.True(syncer.SyncDown(remote, _t._temp.Combine("target")));
            syncer.Wait();

            Assert.Equal(TempDirectory.Snapshot(source), TempDirectory.Snapshot(_t._temp.Combine("target")));
        }

        [Theory]
        [InlineData(new[] { "*_exclude*" }, new[] { "level0.txt", "subdir/level1.txt", "subdir/nested/level2.txt" })]
        [InlineData(new[] { "*_exclude.txt" }, new[] { "level0.txt", "subdir/level1.txt", "subdir/nested/level2.txt", "subdir_exclude/something/somewhere.txt" })]
        [InlineData(new[] { "*_exclude/*" }, new[] { "level0.txt", "level0_exclude.txt", "subdir/level1.txt", "subdir/level1_exclude.txt", "subdir/nested/level2.txt", "subdir_nested_level2_exclude.txt" })]
        [InlineData(new[] { "*_exclude.txt", "*_exclude/*" }, new[] { "level0.txt", "subdir/level1.txt", "subdir/nested/level2.txt" })]
        public void SyncUp_RespectsExcludes(string[] exclude, string[] expected)
        {
            string source = _t.ExcludeFixture();
            string remote = _t._temp.Combine("remote");
            using var syncer = new StorageSyncer();

            syncer.SyncUp(source, remote, exclude);
            syncer.Wait();

            Assert.Equal(expected.Order(StringComparer.Ordinal), TempDirectory.Snapshot(remote).Keys);
        }

        [Fact]
        public void SyncDown_AlsoRespectsExcludes()
        {
            string source = _t.ExcludeFixture();
            string target = _t._temp.Combine("target");
            using var syncer = new StorageSyncer();

            syncer.SyncDown(source, target, ["*_exclude*"]);
            syncer.Wait();

            Assert.Equal(["level0.txt", "subdir/level1.txt", "subdir/nested/level2.txt"], TempDirectory.Snapshot(target).Keys);
        }

        [Fact]
        public void Delete_RemovesTheRemote()
        {
            string remote = _t._temp.Combine("remote");
            using var syncer = new StorageSyncer();
            syncer.SyncUp(_t.ExcludeFixture(), remote);
            syncer.Wait();

            Assert.True(syncer.Delete(remote));
            syncer.Wait();

            Assert.False(Directory.Exists(remote));
        }

        [Fact]
        public void BadLocation_FailsAtTheCall_NotInTheBackground()
        {
            using var syncer = new StorageSyncer();

            var ex = Assert.Throws<FormatException>(() => syncer.SyncUp(_t._temp.Path, "ftp://host/x"));

            Assert.Contains("unknown scheme 'ftp'", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void MissingSource_SurfacesFromWait()
        {
            using var syncer = new StorageSyncer();

            syncer.SyncUp(_t._temp.Combine("nope"), _t._temp.Combine("remote"));

            Assert.Throws<SourceNotFoundException>(syncer.Wait);
        }

        [Fact]
        public async Task AsyncTwin_ReturnsWhenDone()
        {
            string remote = $"memory://syncer/{Guid.NewGuid():N}";
            await using var syncer = new StorageSyncer();

            await syncer.SyncUpAsync(_t.ExcludeFixture(), remote);

            Assert.Equal(7, syncer.LastResult!.Transferred.Count);
        }
    }

    public sealed class Scheduling
    {
        private readonly TimerSignalingTimeProvider _clock = new();

        [Fact]
        public void SyncUpIfNeeded_SyncsOncePerPeriod()
        {
            using var syncer = new ScriptedSyncer(_clock, period: TimeSpan.FromSeconds(60));

            Assert.True(syncer.SyncUpIfNeeded("a", "b"));
            syncer.Wait();
            _clock.Advance(TimeSpan.FromSeconds(30));
            Assert.False(syncer.SyncUpIfNeeded("a", "b"));
            _clock.Advance(TimeSpan.FromSeconds(30));
            Assert.True(syncer.SyncUpIfNeeded("a", "b"));
            syncer.Wait();

            Assert.Equal(2, syncer.Attempts);
        }

        [Fact]
        public void SyncDownIfNeeded_HasItsOwnClock()
        {
            using var syncer = new ScriptedSyncer(_clock, period: TimeSpan.FromSeconds(60));

            Assert.True(syncer.SyncUpIfNeeded("a", "b"));
            syncer.Wait();

            Assert.True(syncer.SyncDownIfNeeded("b", "a"));
        }

        [Fact]
        public void StillRunning_ReturnsFalse_UntilWaited()
        {
            var gate = new TaskCompletionSource();
            using var syncer = new ScriptedSyncer(_clock, behaviour: (_, ct) => gate.Task.WaitAsync(ct));

            Assert.True(syncer.SyncUp("a", "b"));
            Assert.False(syncer.SyncUp("a", "b"));
            Assert.False(syncer.SyncDown("b", "a"));
            Assert.False(syncer.Delete("b"));
            gate.SetResult();
            syncer.Wait();

            Assert.True(syncer.SyncUp("a", "b"));
        }

        [Fact]
        public void IfNeeded_MovesTheTimestamp_EvenWhenBusy()
        {
            var gate = new TaskCompletionSource();
            using var syncer = new ScriptedSyncer(_clock, period: TimeSpan.FromSeconds(60), behaviour: (_, ct) => gate.Task.WaitAsync(ct));
            Assert.True(syncer.SyncUpIfNeeded("a", "b"));
            _clock.Advance(TimeSpan.FromSeconds(60));

            Assert.False(syncer.SyncUpIfNeeded("a", "b")); // due, but busy
            gate.SetResult();
            syncer.Wait();
            _clock.Advance(TimeSpan.FromSeconds(30));
            Assert.False(syncer.SyncUpIfNeeded("a", "b")); // the busy call counted as the last due one
            _clock.Advance(TimeSpan.FromSeconds(30));
            Assert.True(syncer.SyncUpIfNeeded("a", "b"));
        }

        [Fact]
        public async Task HangingSync_TimesOut_AndIsCancelled()
        {
            using var syncer = new ScriptedSyncer(_clock, timeout: TimeSpan.FromSeconds(10), behaviour: (_, ct) => Task.Delay(Timeout.Infinite, ct));
            Assert.True(syncer.SyncUp("a", "b"));

            var wait = Task.Run(syncer.Wait);
            await _clock.WaitForTimersAsync(2);
            _clock.Advance(TimeSpan.FromSeconds(11));

            var ex = await Assert.ThrowsAsync<TimeoutException>(() => wait);
            Assert.Equal("The sync up 'a' -> 'b' did not finish within the sync timeout of 00:00:10; it was cancelled.", ex.Message);
            Assert.True(syncer.SyncUp("a", "b"));
        }

        [Fact]
        public void OperationOlderThanTimeout_NoLongerBlocksANewOne()
        {
            var gate = new TaskCompletionSource();

            // Ignores cancellation on purpose: a stuck operation must not block syncing forever.
            using var syncer = new ScriptedSyncer(_clock, timeout: TimeSpan.FromSeconds(10), behaviour: (_, _) => gate.Task);
            Assert.True(syncer.SyncUp("a", "b"));
            Assert.False(syncer.SyncUp("a", "b"));

            _clock.Advance(TimeSpan.FromSeconds(10));

            Assert.True(syncer.SyncUp("a", "b"));
            gate.SetResult();
        }

        [Fact]
        public void Wait_RethrowsTheOperationsError()
        {
            using var syncer = new ScriptedSyncer(_clock, behaviour: (_, _) => throw new InvalidOperationException("boom"));
            syncer.SyncUp("a", "b");

            var ex = Assert.Throws<InvalidOperationException>(syncer.Wait);

            Assert.Equal("boom", ex.Message);
            syncer.Wait(); // forgotten after the first Wait
        }

        [Fact]
        public void Retry_WithoutAnOperation_Throws()
        {
            using var syncer = new ScriptedSyncer(_clock);

            var ex = Assert.Throws<InvalidOperationException>(syncer.Retry);

            Assert.Equal("No sync operation has been started, so there is nothing to retry.", ex.Message);
        }

        [Fact]
        public void WaitOrRetry_Failing_ReportsRetriesAndLastError()
        {
            using var syncer = new ScriptedSyncer(_clock, behaviour: (attempt, _) => throw new InvalidOperationException($"failure {attempt}"));
            syncer.SyncUp("a", "b");

            var ex = Assert.Throws<SyncException>(() => syncer.WaitOrRetry(maxRetries: 3, backoff: TimeSpan.Zero));

            Assert.Equal("Failed sync even after 3 retries. Latest sync error: failure 4", ex.Message);
            Assert.Equal(4, syncer.Attempts);
            Assert.IsType<InvalidOperationException>(ex.InnerException);
        }

        [Fact]
        public void WaitOrRetry_SucceedsOnALaterAttempt()
        {
            using var syncer = new ScriptedSyncer(_clock, behaviour: (attempt, _) => attempt < 3 ? throw new IOException("flaky") : Task.CompletedTask);
            syncer.SyncUp("a", "b");

            syncer.WaitOrRetry(maxRetries: 2, backoff: TimeSpan.Zero);

            Assert.Equal(3, syncer.Attempts);
        }

        [Fact]
        public async Task WaitOrRetry_WaitsTheBackoff_BetweenAttempts()
        {
            using var syncer = new ScriptedSyncer(_clock, behaviour: (attempt, _) => attempt == 1 ? throw new IOException("flaky") : Task.CompletedTask);
            syncer.SyncUp("a", "b");

            var waiting = Task.Run(() => syncer.WaitOrRetry(maxRetries: 1, backoff: TimeSpan.FromSeconds(5)));
            await _clock.WaitForTimerDueWithinAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(1, syncer.Attempts);
            _clock.Advance(TimeSpan.FromSeconds(5));
            await waiting;

            Assert.Equal(2, syncer.Attempts);
        }

        [Fact]
        public void WaitOrRetry_TimingOut_ReportsTheTimeout()
        {
            // Real time on purpose (100 ms timeouts): the hang is a real Task.Delay, so nothing here sleeps long.
            using var syncer = new ScriptedSyncer(TimeProvider.System, timeout: TimeSpan.FromMilliseconds(100), behaviour: (_, ct) => Task.Delay(Timeout.Infinite, ct));
            syncer.SyncUp("a", "b");

            var ex = Assert.Throws<SyncException>(() => syncer.WaitOrRetry(maxRetries: 2, backoff: TimeSpan.Zero));

            Assert.StartsWith("Failed sync even after 2 retries. Latest sync error: The sync up 'a' -> 'b' did not finish within the sync timeout", ex.Message, StringComparison.Ordinal);
            Assert.IsType<TimeoutException>(ex.InnerException);
            Assert.Equal(3, syncer.Attempts);
        }

        [Fact]
        public void WaitOrRetry_RejectsZeroRetries()
        {
            using var syncer = new ScriptedSyncer(_clock);

            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => syncer.WaitOrRetry(0));

            Assert.StartsWith("maxRetries is 0; it must be 1 or more.", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task AsyncTwins_RunOneAtATime()
        {
            int running = 0, maxRunning = 0;
            await using var syncer = new ScriptedSyncer(TimeProvider.System, behaviour: async (_, ct) =>
            {
                int now = Interlocked.Increment(ref running);
                InterlockedMax(ref maxRunning, now);
                await Task.Delay(20, ct);
                Interlocked.Decrement(ref running);
            });

            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => syncer.SyncUpAsync("a", "b"))));

            Assert.Equal(1, maxRunning);
            Assert.Equal(8, syncer.Attempts);
        }

        [Fact]
        public void Constructor_RejectsNonPositivePeriod()
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ScriptedSyncer(_clock, period: TimeSpan.Zero));

            Assert.StartsWith("The sync period is 00:00:00; it must be greater than zero.", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void AutoPlaceholder_CannotSync()
        {
            var ex = Assert.Throws<InvalidOperationException>(() => Syncer.Auto.SyncUp("/a", "/b"));

            Assert.Contains("call SyncConfig.CreateSyncer()", ex.Message, StringComparison.Ordinal);
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }

    /// <summary>A syncer whose every operation runs a scripted behaviour, numbered from 1.</summary>
    private sealed class ScriptedSyncer(
        TimeProvider clock,
        TimeSpan? period = null,
        TimeSpan? timeout = null,
        Func<int, CancellationToken, Task>? behaviour = null)
        : Syncer(period, timeout, clock)
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        protected override Task SyncUpCoreAsync(string localDir, string remoteDir, IReadOnlyList<string> exclude, CancellationToken cancellationToken) => Run(cancellationToken);

        protected override Task SyncDownCoreAsync(string remoteDir, string localDir, IReadOnlyList<string> exclude, CancellationToken cancellationToken) => Run(cancellationToken);

        protected override Task DeleteCoreAsync(string remoteDir, CancellationToken cancellationToken) => Run(cancellationToken);

        private Task Run(CancellationToken cancellationToken)
        {
            int attempt = Interlocked.Increment(ref _attempts);
            return behaviour is null ? Task.CompletedTask : behaviour(attempt, cancellationToken);
        }
    }
}
