using System.Diagnostics;
using SyncTooling.Storage;
using SyncTooling.Storage.S3;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SyncTooling.Tests.Reliability;

/// <summary>
/// Every operation ends within its timeout against a server that never answers, answers one byte at a time or
/// paginates forever, and says which it was; and Retries is the whole bound on the requests sent.
/// Run alone: the memory bound is read from the process-wide managed heap, which the large uploads of other
/// tests (S3 multipart, Azure staged blocks) would otherwise grow at the same time.
/// </summary>
[Collection(BoundedInTimeCollection.Name)]
public sealed class BoundedInTimeTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    // Far above the timeout: the machine is loaded, but a hang still fails here instead of hanging the run.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [MemberData(nameof(StallingServers.Kinds), MemberType = typeof(StallingServers))]
    public async Task SyncUp_AgainstAStallingServer_StopsAtTheTimeout_AndSaysWhichItWas(string kind)
    {
        await using var server = StallingServers.Start(kind);
        _temp.Write("src/a.txt", "a");
        using var timeout = new CancellationTokenSource(Timeout);
        var clock = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new SyncEngine().SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(server.LocationWithCredentials("run")), cancellationToken: timeout.Token).WaitAsync(Bound));

        clock.Stop();
        Assert.InRange(clock.Elapsed, Timeout - TimeSpan.FromMilliseconds(100), Bound);
        Assert.Matches(StallingServers.Message(kind, server), StorageCanceledException.ActivityOf(ex));

        // Transfers overlap the listing (issue 14): a listing that never ends may already see the new file's PUT, never a delete.
        Assert.Equal(0, server.Count(r => r.Method is "DELETE" || (kind != "endless-listing" && r.Method is "PUT" or "POST")));
    }

    [Fact]
    public async Task SyncUp_WhenNoPutIsEverAnswered_StopsAtTheTimeout_NamingTheObject()
    {
        await using var server = HostileS3Server.Start(r => r.IsList ? r.RespondListAsync([]) : r.StallAsync(TimeSpan.FromMinutes(1)));
        _temp.Write("src/a.txt", "a");

        // Longer than the others: the PUT must be in flight when the timeout hits, after the listing and the SDK's first-use set-up.
        var timeout = TimeSpan.FromSeconds(8);
        using var stop = new CancellationTokenSource(timeout);
        var clock = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new SyncEngine().SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(server.LocationWithCredentials("run")), cancellationToken: stop.Token).WaitAsync(Bound));

        Assert.InRange(clock.Elapsed, timeout - TimeSpan.FromMilliseconds(100), Bound);

        // The SDK sends "Expect: 100-continue", and the server's "100 Continue" is the start of an answer that never ends.
        string at = System.Text.RegularExpressions.Regex.Escape(server.Endpoint);
        Assert.Matches(
            $@"^(no answer from the S3 server at {at} within \d+(\.\d)? s \(connect/request timeout\)|the S3 server at {at} sent its answer too slowly: 25 bytes in \d+(\.\d)? s) on 's3://hostile/run/a\.txt\?[^']*'",
            StorageCanceledException.ActivityOf(ex));
        Assert.Equal(1, server.Count(r => r.IsPut));
    }

    [Fact]
    public async Task Syncer_AgainstAServerThatNeverAccepts_TimesOut_NamingTheServer()
    {
        await using var server = HostileS3Server.NeverAccepting();
        _temp.Write("src/a.txt", "a");
        using var syncer = new StorageSyncer(syncTimeout: Timeout);
        var clock = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => syncer.SyncUpAsync(_temp.Combine("src"), server.LocationWithCredentials("run")).WaitAsync(Bound));

        Assert.InRange(clock.Elapsed, Timeout - TimeSpan.FromMilliseconds(100), Bound);
        Assert.StartsWith("The sync up ", ex.Message, StringComparison.Ordinal);
        Assert.Matches(@"did not finish within the sync timeout of 00:00:03; it was cancelled: no answer from the S3 server at " + System.Text.RegularExpressions.Regex.Escape(server.Endpoint) + @" within \d+(\.\d)? s \(connect/request timeout\) on listing\.$", ex.Message);
    }

    [Fact]
    public async Task Listing_ThatNeverEnds_KeepsMemoryBounded_UntilTheTimeout()
    {
        await using var server = StallingServers.Start("endless-listing");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        long startManaged = GC.GetTotalMemory(forceFullCollection: true);
        long peakManaged = startManaged, peakRss = Environment.WorkingSet;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false));
                peakRss = Math.Max(peakRss, Environment.WorkingSet);
                await Task.Delay(50, CancellationToken.None);
            }
        });

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new SyncEngine().ListAsync(StorageUri.Parse(server.LocationWithCredentials("run")), timeout.Token).WaitAsync(Bound));
        await sampling.CancelAsync();
        await sampler;

        int pages = server.Count(r => r.IsList);
        output.WriteLine($"{pages} pages ({pages * 3} keys) in 5 s; managed heap {startManaged / 1048576.0:0.0} MiB -> peak {peakManaged / 1048576.0:0.0} MiB; peak RSS {peakRss / 1048576.0:0.0} MiB");
        Assert.Matches(StallingServers.Message("endless-listing", server), StorageCanceledException.ActivityOf(ex));
        // The page in flight when the timeout hit may or may not have reached the server.
        var counted = System.Text.RegularExpressions.Regex.Match(ex.Message, @"after (\d+) pages \((\d+) keys\)");
        int listed = int.Parse(counted.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(listed, pages - 1, pages);
        Assert.Equal((listed * 3).ToString(System.Globalization.CultureInfo.InvariantCulture), counted.Groups[2].Value);
        Assert.True(peakManaged - startManaged < 256L * 1024 * 1024, $"the managed heap grew by {(peakManaged - startManaged) / 1048576} MiB");
    }

    [Fact]
    public async Task ARequestWithoutAnAnswer_FailsAtTheRequestTimeout_AsATransientError()
    {
        await using var server = HostileS3Server.NeverAccepting();
        var storage = new S3Storage(StorageUri.Parse(server.Location("run")), server.Options with { RequestTimeout = TimeSpan.FromSeconds(1), Retries = 0 });
        await using (storage)
        {
            var ex = await Assert.ThrowsAsync<StorageException>(async () =>
            {
                await foreach (var entry in storage.ListAsync().WithCancellation(CancellationToken.None))
                {
                }
            }).WaitAsync(Bound);

            Assert.Equal(StorageErrorKind.Transient, ex.Kind);
            Assert.Matches($@"^no answer from the S3 server at {System.Text.RegularExpressions.Regex.Escape(server.Endpoint)} within 1(\.\d)? s \(connect/request timeout\) on listing$", ex.Message);
        }
    }

    [Fact]
    public void ASyncTimeoutNoTimerCanRun_IsRefusedAtConstruction()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new StorageSyncer(syncTimeout: TimeSpan.FromDays(60)));

        Assert.Equal("syncTimeout", ex.ParamName);
        Assert.StartsWith("The sync timeout is 60.00:00:00 and the period 00:05:00; each must be at most 49.17:02:47 (the longest a timer runs).", ex.Message, StringComparison.Ordinal);
    }

    public sealed class RetriesAreTheWholeBound : IDisposable
    {
        private readonly TempDirectory _temp = new();

        public void Dispose() => _temp.Dispose();

        [Theory]
        [InlineData(0, 1)]
        [InlineData(2, 3)]
        public async Task Listing_AgainstAServerThatAnswers500_IsSentRetriesPlusOneTimes(int retries, int requests)
        {
            await using var server = HostileS3Server.Start(r => r.RespondErrorAsync(500, "InternalError"));
            _temp.Write("src/a.txt", "a");

            var ex = await Assert.ThrowsAsync<StorageException>(() =>
                new SyncEngine().SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(server.LocationWithCredentials("run")), new SyncOptions { Retries = retries }).WaitAsync(Bound));

            Assert.Contains("InternalError", ex.Message, StringComparison.Ordinal);
            Assert.Equal(requests, server.Count(r => r.IsList));
            Assert.Equal(requests, server.Requests.Count);
        }

        [Theory]
        [InlineData(0, 1)]
        [InlineData(2, 3)]
        public async Task Put_AgainstAServerThatAnswers500_IsSentRetriesPlusOneTimes(int retries, int requests)
        {
            await using var server = HostileS3Server.Start(r => r.IsList ? r.RespondListAsync([]) : r.RespondErrorAsync(500, "InternalError"));
            _temp.Write("src/a.txt", "a");

            var result = await new SyncEngine().SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(server.LocationWithCredentials("run")), new SyncOptions { Retries = retries }).WaitAsync(Bound);

            Assert.Equal("a.txt", Assert.Single(result.Failures).Key);
            Assert.Equal(requests, server.Count(r => r.IsPut));
        }

        [Theory]
        [InlineData(0, 1)]
        [InlineData(2, 3)]
        public async Task Listing_AgainstAServerThatResetsEveryConnection_IsSentRetriesPlusOneTimes(int retries, int requests)
        {
            await using var server = HostileS3Server.Start(r =>
            {
                r.Reset();
                return Task.CompletedTask;
            });

            await Assert.ThrowsAsync<StorageException>(() =>
                new SyncEngine().ListAsync(StorageUri.Parse(server.LocationWithCredentials("run")), retries).WaitAsync(Bound));

            Assert.Equal(requests, server.Requests.Count);
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BoundedInTimeCollection
{
    public const string Name = "bounded-in-time";
}
