using System.Security.Cryptography;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Storage.S3;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Reliability;

/// <summary>Syncs to a real s3rver through <see cref="FaultProxy"/>: resets, stalls, truncated answers, 500 and 503 SlowDown.</summary>
public static class FaultInjectionTests
{
    // Small enough that stalls cost little, large enough for an 8 MiB part on loopback.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    // Every test ends well within this; a hang fails the test instead of the CI run.
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

    private static StorageRegistry RegistryFor(S3Server server, int? retries = null) => new StorageRegistry()
        .Register("file", uri => new FileStorage(uri))
        .Register("s3", uri => new S3Storage(uri, server.Options with { RequestTimeout = RequestTimeout, Retries = retries ?? server.Options.Retries }));

    // Under the flaky network a request meets a fault about a third of the time. The engine does not retry a file
    // again when its storage already retried the request, so the storage's attempts are all there are: 9 make a
    // give-up about 1 in 10,000 per request, where 5 made it about 1 in 170.
    private const int FlakyNetworkRetries = 8;

    private static string Location(string endpoint, string prefix) => $"s3://{S3Server.Bucket}/{prefix}?endpoint_override={endpoint}&scheme=http";

    [Collection("s3rver")]
    public sealed class UnderAFlakyNetwork(S3Server server) : IDisposable
    {
        private readonly TempDirectory _temp = new();

        public void Dispose() => _temp.Dispose();

        [Fact]
        public async Task TwoThousandFiles_RoundTripByteExact_AndEveryKindOfFaultWasMet()
        {
            for (int i = 0; i < 2000; i++)
            {
                _temp.Write($"src/d{i % 40}/f{i}.txt", $"file {i} " + new string('y', i % 300));
            }

            await using var proxy = FaultProxy.Random(server.Port, seed: 8, reset: 0.03, stall: 0.01, truncate: 0.03, internalError: 0.03, slowDown: 0.03);
            var engine = new SyncEngine(RegistryFor(server, FlakyNetworkRetries));
            var remote = StorageUri.Parse(Location(proxy.Endpoint, $"faults/{Guid.NewGuid():N}"));
            var options = new SyncOptions { Jobs = 16 };

            var up = await engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), remote, options).WaitAsync(Bound);
            var down = await engine.SyncAsync(remote, StorageUri.Parse(_temp.Combine("down")), options).WaitAsync(Bound);

            Assert.Empty(up.Failures);
            Assert.Empty(down.Failures);
            Assert.Equal(2000, down.Transferred.Count);
            Assert.Equal(TempDirectory.Snapshot(_temp.Combine("src")), TempDirectory.Snapshot(_temp.Combine("down")));
            Assert.All(Enum.GetValues<Fault>(), f => Assert.True(proxy.Count(f) > 0, $"no request met {f}"));
        }

        [Fact]
        public async Task LargeFile_InParts_RoundTripsByteExact()
        {
            byte[] data = RandomNumberGenerator.GetBytes(64 * 1024 * 1024);
            Directory.CreateDirectory(_temp.Combine("src"));
            await File.WriteAllBytesAsync(_temp.Combine("src", "model.bin"), data);
            await using var proxy = FaultProxy.Random(server.Port, seed: 64, reset: 0.08, stall: 0.04, truncate: 0.08, internalError: 0.08, slowDown: 0.08);
            var engine = new SyncEngine(RegistryFor(server, FlakyNetworkRetries));
            var remote = StorageUri.Parse(Location(proxy.Endpoint, $"faults/{Guid.NewGuid():N}"));

            var up = await engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), remote).WaitAsync(Bound);
            Assert.Empty(up.Failures);
            var down = await engine.SyncAsync(remote, StorageUri.Parse(_temp.Combine("down"))).WaitAsync(Bound);

            Assert.Empty(down.Failures);
            Assert.Equal(SHA256.HashData(data), SHA256.HashData(await File.ReadAllBytesAsync(_temp.Combine("down", "model.bin"))));
            Assert.True(proxy.Total - proxy.Count(Fault.None) > 0, "no fault was injected");
        }
    }

    [Collection("s3rver")]
    public sealed class AgainstABrokenEndpoint(S3Server server) : IDisposable
    {
        private readonly TempDirectory _temp = new();

        public void Dispose() => _temp.Dispose();

        [Fact]
        public async Task PortNobodyListensOn_FailsWithANetworkError()
        {
            _temp.Write("src/a.txt", "a");
            int port = FreePort();
            var engine = new SyncEngine(RegistryFor(server));

            var ex = await Assert.ThrowsAsync<StorageException>(() =>
                engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(Location($"127.0.0.1:{port}", "x"))).WaitAsync(Bound));

            Assert.Equal(StorageErrorKind.Transient, ex.Kind);
            Assert.StartsWith($"Network error on listing: connection refused at 127.0.0.1:{port}: nothing listens there", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task ResettingEveryRequest_FailsWithANetworkError()
        {
            _temp.Write("src/a.txt", "a");
            await using var proxy = FaultProxy.Always(server.Port, Fault.Reset);
            var engine = new SyncEngine(RegistryFor(server));

            var ex = await Assert.ThrowsAsync<StorageException>(() =>
                engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(Location(proxy.Endpoint, "x"))).WaitAsync(Bound));

            Assert.Equal(StorageErrorKind.Transient, ex.Kind);
            Assert.StartsWith("Network error on listing: ", ex.Message, StringComparison.Ordinal);
            Assert.Equal(server.Options.Retries + 1, proxy.Count(Fault.Reset));
        }

        [Fact]
        public async Task StallingEveryRequest_StopsAtTheSyncTimeout_WithATimeoutError()
        {
            _temp.Write("src/a.txt", "a");
            await using var proxy = FaultProxy.Always(server.Port, Fault.Stall);
            using var syncer = new StorageSyncer(syncTimeout: TimeSpan.FromSeconds(3), registry: RegistryFor(server));

            Assert.True(syncer.SyncUp(_temp.Combine("src"), Location(proxy.Endpoint, "x")));
            var ex = await Assert.ThrowsAsync<TimeoutException>(() => syncer.WaitAsync().WaitAsync(Bound));

            Assert.StartsWith("The sync up ", ex.Message, StringComparison.Ordinal);
            // Which of "no answer" or "too slowly" it says depends on whether the stall hit before or after the proxy
            // passed on a byte (a 100 Continue); both name the endpoint.
            Assert.Contains("did not finish within the sync timeout of 00:00:03; it was cancelled: ", ex.Message, StringComparison.Ordinal);
            Assert.Contains("the S3 server at " + proxy.Endpoint, ex.Message, StringComparison.Ordinal);
        }

        private static int FreePort()
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }
    }
}
