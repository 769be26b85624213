using System.Security.Cryptography;
using Amazon.S3.Model;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Reliability;

/// <summary>
/// Large downloads in parallel ranged GETs (If-Match the listed ETag), on s3rver and Ceph RGW: byte-exact with the
/// source's time, an interrupted one continued from its temp file fetching only the missing ranges (counted by a
/// proxy), and an object that changed, between runs or during one, never mixed into the file.
/// </summary>
public abstract class RangedDownloadTests(IS3TestServer server) : IDisposable
{
    private const int Size = (64 * 1024 * 1024) + 123;
    private const int Ranges = 9;

    // Eight ranges at once at 2 MiB/s each: 64 MiB take about 4 s, time enough to stop the sync midway.
    private const int PacedBytesPerSecond = 2 * 1024 * 1024;

    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task ALargeObject_ArrivesByteExact_InOneRangedGetPerRange_WithItsSourceTime()
    {
        var (remote, data) = await UploadAsync();
        await using var proxy = FaultProxy.PassThrough(Port(server));
        string target = _temp.Combine("down");

        var result = await new SyncEngine(server.Registry).SyncAsync(StorageUri.Parse(Proxied(remote, proxy)), StorageUri.Parse(target));

        Assert.Empty(result.Failures);
        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(target, "big.bin")));
        Assert.Equal(File.GetLastWriteTimeUtc(_temp.Combine("src", "big.bin")), File.GetLastWriteTimeUtc(Path.Combine(target, "big.bin")));
        Assert.Equal(Ranges, proxy.RequestLines.Count(l => l.StartsWith("GET ", StringComparison.Ordinal) && l.Contains("/big.bin", StringComparison.Ordinal)));
        Assert.Equal(["big.bin"], Directory.GetFiles(target).Select(Path.GetFileName));
    }

    [Fact]
    public async Task AnInterruptedDownload_ContinuesFromItsTempFile_FetchingOnlyTheMissingRanges()
    {
        var (_, data, proxy, source, target) = await InterruptedDownloadAsync();
        await using var proxyScope = proxy;
        long missing = MissingBytes(source, target);
        long before = proxy.BytesToClients;

        var rerun = await new SyncEngine(server.Registry).SyncAsync(source, target);
        long fetched = proxy.BytesToClients - before;

        Assert.Empty(rerun.Failures);
        Assert.InRange(missing, 1, Size - 1);
        Assert.InRange(fetched, missing, missing + (1024 * 1024)); // the listing and the answers' heads
        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(target.Path, "big.bin")));
        Assert.Equal(["big.bin"], Directory.GetFiles(target.Path).Select(Path.GetFileName));
        Assert.Null(PartialDownloads.Open(PrivateStateDirectory.Path, source, target).Find("big.bin"));
    }

    [Fact]
    public async Task AResumableTempFile_OlderThanTheStaleTempAge_IsKeptAndContinued()
    {
        var (_, data, proxy, source, target) = await InterruptedDownloadAsync();
        await using var proxyScope = proxy;
        long missing = MissingBytes(source, target);
        long before = proxy.BytesToClients;

        // Two hours later by the engine's clock, every temp file is past FileStorage.StaleTempAge.
        var rerun = await new SyncEngine(server.Registry, timeProvider: new HoursAhead(2)).SyncAsync(source, target);

        Assert.Empty(rerun.Failures);
        Assert.InRange(proxy.BytesToClients - before, missing, missing + (1024 * 1024));
        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(target.Path, "big.bin")));
    }

    [Fact]
    public async Task AnObjectChangedBetweenRuns_StartsOver_AndTheFileIsTheNewVersion()
    {
        var (remote, _, proxy, source, target) = await InterruptedDownloadAsync();
        await using var proxyScope = proxy;
        var (_, changed) = await UploadAsync(remote);
        long before = proxy.BytesToClients;

        var rerun = await new SyncEngine(server.Registry).SyncAsync(source, target);

        Assert.Empty(rerun.Failures);
        Assert.True(proxy.BytesToClients - before >= Size, "the rerun did not fetch the whole new version");
        Assert.Equal(changed, await File.ReadAllBytesAsync(Path.Combine(target.Path, "big.bin")));
        Assert.Equal(["big.bin"], Directory.GetFiles(target.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task AnObjectChangedDuringTheDownload_FailsTheFile_AndLeavesNeitherTempFileNorRecord()
    {
        var (remote, _) = await UploadAsync();
        await using var proxy = FaultProxy.Paced(Port(server), PacedBytesPerSecond);
        var source = StorageUri.Parse(Proxied(remote, proxy));
        var target = StorageUri.Parse(_temp.Combine("down"));
        using var client = server.CreateClient();
        byte[] changed = RandomNumberGenerator.GetBytes(Size);
        bool overwritten = false;
        var progress = new InlineProgress(p =>
        {
            if (p.BytesDone > Size / 8 && !overwritten)
            {
                // Held on the reporting range's thread until the new version is in place: every range asked for later meets it.
                overwritten = true;
                client.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = IS3TestServer.DefaultBucket,
                    Key = StorageUri.Parse(remote).Path + "/big.bin",
                    InputStream = new MemoryStream(changed),
                    UseChunkEncoding = false,
                }).GetAwaiter().GetResult();
            }
        });

        var result = await new SyncEngine(server.Registry).SyncAsync(source, target, progress: progress);

        if (!HonoursIfMatch)
        {
            // The server sent the new version's ranges to If-Match the old ETag: the whole-file MD5 caught the mix,
            // and the retry fetched the new version whole. Never a file of two versions.
            Assert.Empty(result.Failures);
            Assert.Equal(changed, await File.ReadAllBytesAsync(Path.Combine(target.Path, "big.bin")));
            return;
        }

        var failure = Assert.Single(result.Failures);
        Assert.Contains("changed since it was listed", failure.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(target.Path) ? Directory.GetFiles(target.Path) : []);
        Assert.Null(PartialDownloads.Open(PrivateStateDirectory.Path, source, target).Find("big.bin"));
    }

    /// <summary>False for a server that ignores If-Match on GET (s3rver).</summary>
    protected virtual bool HonoursIfMatch => true;

    private static int Port(IS3TestServer s) => int.Parse(s.Endpoint[(s.Endpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    private static string Proxied(string remote, FaultProxy proxy) =>
        $"s3://{IS3TestServer.DefaultBucket}/{StorageUri.Parse(remote).Path}?endpoint_override={proxy.Endpoint}&scheme=http";

    /// <summary>What the record of the interrupted download says is not yet in its temp file.</summary>
    private static long MissingBytes(StorageUri source, StorageUri target)
    {
        var record = PartialDownloads.Open(PrivateStateDirectory.Path, source, target).Find("big.bin");
        Assert.NotNull(record);
        long doneBytes = record.Written.Sum(w => (long)w);
        return Size - doneBytes;
    }

    /// <summary>Uploads a fresh random big.bin (to a new prefix unless given) with the library; returns the location and the bytes.</summary>
    private async Task<(string Remote, byte[] Data)> UploadAsync(string? remote = null)
    {
        byte[] data = RandomNumberGenerator.GetBytes(Size);
        string file = _temp.Combine("src", "big.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllBytesAsync(file, data);
        remote ??= server.Location($"ranged/{Guid.NewGuid():N}");
        await new SyncEngine(server.Registry).SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote));
        return (remote, data);
    }

    /// <summary>
    /// Uploads a fresh big.bin and interrupts a paced download of it a third of the way (<see cref="InterruptAsync"/>):
    /// the object's location and bytes, the proxy the download went through (the caller disposes it), and the proxied
    /// source and the local target.
    /// </summary>
    private async Task<(string Remote, byte[] Data, FaultProxy Proxy, StorageUri Source, StorageUri Target)> InterruptedDownloadAsync()
    {
        var (remote, data) = await UploadAsync();
        var proxy = FaultProxy.Paced(Port(server), PacedBytesPerSecond);
        try
        {
            var source = StorageUri.Parse(Proxied(remote, proxy));
            var target = StorageUri.Parse(_temp.Combine("down"));
            await InterruptAsync(source, target);
            return (remote, data, proxy, source, target);
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }

    /// <summary>Cancels a sync down once about a third of the bytes arrived.</summary>
    private async Task InterruptAsync(StorageUri source, StorageUri target)
    {
        using var stop = new CancellationTokenSource();
        var progress = new InlineProgress(p =>
        {
            if (p.BytesDone > Size / 3)
            {
                stop.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new SyncEngine(server.Registry).SyncAsync(source, target, progress: progress, cancellationToken: stop.Token));
        Assert.Contains(Directory.GetFiles(target.Path), f => Path.GetFileName(f).StartsWith(FileStorage.TempPrefix, StringComparison.Ordinal));
    }

    /// <summary>The system clock, some hours ahead (timers and timestamps are the system's).</summary>
    private sealed class HoursAhead(int hours) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddHours(hours);
    }

    /// <summary>Progress handled on the reporting thread, not posted to the thread pool.</summary>
    private sealed class InlineProgress(Action<SyncProgress> handle) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => handle(value);
    }

    [Collection("s3rver")]
    public sealed class OnS3rver(S3Server server) : RangedDownloadTests(server)
    {
        protected override bool HonoursIfMatch => false;
    }

    [Collection("ceph-rgw")]
    public sealed class OnCephRgw(CephRgw rgw) : RangedDownloadTests(rgw);
}
