using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Storage.Memory;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests;

/// <summary>What a syncer hands back: the SyncResult of each operation and its progress.</summary>
public sealed class SyncerResultTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SyncUpAsync_AndSyncDownAsync_ReturnWhatTheyDid()
    {
        _temp.Write("src/a.txt", "abc");
        _temp.Write("src/b/c.txt", "de");
        string remote = $"memory://results/{Guid.NewGuid():N}";
        await using var syncer = new StorageSyncer();

        var up = await syncer.SyncUpAsync(_temp.Combine("src"), remote);
        var down = await syncer.SyncDownAsync(remote, _temp.Combine("down"));

        Assert.Equal(["a.txt", "b/c.txt"], up!.Transferred.Order(StringComparer.Ordinal));
        Assert.Equal(5, up.BytesTransferred);
        Assert.Equal(2, down!.Transferred.Count);
        Assert.Same(down, syncer.LastResult);
    }

    [Fact]
    public void Wait_ReturnsTheResultOfTheBackgroundSync()
    {
        _temp.Write("src/a.txt", "abc");
        using var syncer = new StorageSyncer();

        Assert.True(syncer.SyncUp(_temp.Combine("src"), $"memory://results/{Guid.NewGuid():N}"));
        var result = syncer.Wait();

        Assert.Equal(["a.txt"], result!.Transferred);
        Assert.Same(result, syncer.LastResult);
        Assert.Null(syncer.Wait());
    }

    [Fact]
    public async Task FailedSync_ThrowsWithItsResult_AndKeepsItAsLastResult()
    {
        string remote = $"memory://results/{Guid.NewGuid():N}";
        _temp.Write("src/a.bin", "data");
        await new SyncEngine().SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote));
        var registry = new StorageRegistry()
            .Register("file", uri => new FileStorage(uri))
            .Register("memory", uri => new FaultyStorage(new MemoryStorage(uri), (_, _) => new StorageException(StorageErrorKind.AccessDenied, "denied")));
        await using var syncer = new StorageSyncer(registry: registry);

        var ex = await Assert.ThrowsAsync<SyncException>(() => syncer.SyncDownAsync(remote, _temp.Combine("down")));

        Assert.Equal("a.bin", Assert.Single(ex.Result!.Failures).Key);
        Assert.Same(ex.Result, syncer.LastResult);
    }

    [Fact]
    public async Task ProgressChanged_ReportsEveryFile_UpToTheTotal()
    {
        _temp.Write("src/a.txt", "abc");
        _temp.Write("src/b.txt", "defg");
        await using var syncer = new StorageSyncer(new SyncOptions { Jobs = 1 });
        var reports = new List<SyncProgress>();
        syncer.ProgressChanged += (sender, p) =>
        {
            Assert.Same(syncer, sender);
            lock (reports)
            {
                reports.Add(p);
            }
        };

        await syncer.SyncUpAsync(_temp.Combine("src"), $"memory://results/{Guid.NewGuid():N}");

        Assert.Equal(2, reports.Count);
        Assert.Equal(new SyncProgress(2, 2, 7, 7, reports[^1].LastKey), reports[^1]);
        Assert.Equal(["a.txt", "b.txt"], reports.Select(r => r.LastKey).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ASyncerWithoutResults_HandsBackNull()
    {
        await using var syncer = new CommandSyncer("true {source} {target}", "true {source} {target}", "true {target}");

        Assert.Null(await syncer.SyncUpAsync(_temp.Path, "/remote"));
        Assert.Null(syncer.LastResult);
    }
}
