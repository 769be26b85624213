using System.Security.Cryptography;
using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Reliability;

/// <summary>Syncs to Azurite through <see cref="FaultProxy"/>: resets, stalls, truncated answers, 500 and 503.</summary>
[Collection("azurite")]
public sealed class AzureFaultInjectionTests(AzuriteServer server) : IDisposable
{
    // Every test ends well within this; a hang fails the test instead of the CI run.
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(4);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    // Key credentials, so every request goes to the location's endpoint: the proxy.
    private static SyncEngine EngineThrough() => new(AzuriteServer.RegistryWith(
        AzuriteServer.WithEnvironment(new() { ["AZURE_STORAGE_ACCOUNT"] = AzuriteServer.Account, ["AZURE_STORAGE_KEY"] = AzuriteServer.AccountKey })
            with { RequestTimeout = TimeSpan.FromSeconds(2), Retries = 6 }));

    private static StorageUri Location(FaultProxy proxy) =>
        StorageUri.Parse($"az://{AzuriteServer.Container}/faults/{Guid.NewGuid():N}?endpoint=http://{proxy.Endpoint}/{AzuriteServer.Account}");

    [Fact]
    public async Task ManyFilesAndStagedBlocks_RoundTripByteExact_AndEveryKindOfFaultWasMet()
    {
        for (int i = 0; i < 600; i++)
        {
            _temp.Write($"src/d{i % 20}/f{i}.txt", $"file {i} " + new string('z', i % 200));
        }

        byte[] big = RandomNumberGenerator.GetBytes(24 * 1024 * 1024);
        await File.WriteAllBytesAsync(_temp.Combine("src", "model.bin"), big);
        await using var proxy = FaultProxy.Random(server.Port, seed: 13, reset: 0.04, stall: 0.01, truncate: 0.04, internalError: 0.04, slowDown: 0.04);
        var engine = EngineThrough();
        var remote = Location(proxy);
        var options = new SyncOptions { Jobs = 16, Retries = 6 };

        var up = await engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), remote, options).WaitAsync(Bound);
        var down = await engine.SyncAsync(remote, StorageUri.Parse(_temp.Combine("down")), options).WaitAsync(Bound);

        Assert.Empty(up.Failures);
        Assert.Empty(down.Failures);
        Assert.Equal(601, down.Transferred.Count);
        Assert.Equal(TempDirectory.Snapshot(_temp.Combine("src")), TempDirectory.Snapshot(_temp.Combine("down")));
        Assert.All(Enum.GetValues<Fault>(), f => Assert.True(proxy.Count(f) > 0, $"no request met {f}"));
    }

    [Fact]
    public async Task ResettingEveryRequest_FailsWithATransientNetworkError_AfterTheBoundedRetries()
    {
        await using var proxy = FaultProxy.Always(server.Port, Fault.Reset);

        var ex = await Assert.ThrowsAsync<StorageException>(() => EngineThrough().ListAsync(Location(proxy)).WaitAsync(Bound));

        Assert.Equal(StorageErrorKind.Transient, ex.Kind);
        Assert.StartsWith("Network error on listing: ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(7, proxy.Total); // the first attempt and Retries = 6: the SDK adds none of its own
    }
}
