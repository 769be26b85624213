using System.Security.Cryptography;
using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Storage.Azure;

/// <summary>Large blobs come down in ranged GETs (If-Match the listed ETag), and an interrupted download continues from its temp file.</summary>
[Collection("azurite")]
public sealed class AzureRangedDownloadTests(AzuriteServer server) : IDisposable
{
    private const int Size = (40 * 1024 * 1024) + 77;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AnInterruptedDownload_ContinuesFromItsTempFile_FetchingOnlyTheMissingRanges_ByteExact()
    {
        byte[] data = RandomNumberGenerator.GetBytes(Size);
        _temp.Write("src/big.bin", string.Empty);
        await File.WriteAllBytesAsync(_temp.Combine("src", "big.bin"), data);
        string prefix = $"ranged/{Guid.NewGuid():N}";
        var engine = new SyncEngine(server.Registry);
        await engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(server.Location(prefix)));
        await using var proxy = FaultProxy.Paced(server.Port, 2 * 1024 * 1024);
        // The connection string names the endpoint: the proxy's, in front of Azurite.
        string proxied = server.ConnectionString.Replace(server.Endpoint, $"http://{proxy.Endpoint}/{AzuriteServer.Account}", StringComparison.Ordinal);
        engine = new SyncEngine(AzuriteServer.RegistryWith(AzuriteServer.WithEnvironment(new() { ["AZURE_STORAGE_CONNECTION_STRING"] = proxied })));
        var source = StorageUri.Parse($"az://{AzuriteServer.Container}/{prefix}");
        var target = StorageUri.Parse(_temp.Combine("down"));
        using (var stop = new CancellationTokenSource())
        {
            var progress = new InlineProgress(p =>
            {
                if (p.BytesDone > Size / 3)
                {
                    stop.Cancel();
                }
            });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.SyncAsync(source, target, progress: progress, cancellationToken: stop.Token));
        }

        var record = PartialDownloads.Open(PrivateStateDirectory.Path, source, target).Find("big.bin");
        long missing = Size - record!.Written.Sum(w => (long)w);
        long before = proxy.BytesToClients;

        var rerun = await engine.SyncAsync(source, target);

        Assert.Empty(rerun.Failures);
        Assert.InRange(missing, 1, Size - 1);
        Assert.InRange(proxy.BytesToClients - before, missing, missing + (1024 * 1024));
        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(target.Path, "big.bin")));
        Assert.Equal(["big.bin"], Directory.GetFiles(target.Path).Select(Path.GetFileName));
    }

    private sealed class InlineProgress(Action<SyncProgress> handle) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => handle(value);
    }
}
