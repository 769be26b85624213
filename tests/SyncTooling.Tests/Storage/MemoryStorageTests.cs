using SyncTooling.Storage;
using SyncTooling.Storage.Memory;

namespace SyncTooling.Tests.Storage;

public sealed class MemoryStorageTests : StorageConformanceTests
{
    protected override IStorage CreateStorage() => new MemoryStorage(StorageUri.Parse($"memory://conformance/{Guid.NewGuid():N}"));

    protected override IStorage CreateStorageWithMissingRoot() => new MemoryStorage(StorageUri.Parse($"memory://never-written/{Guid.NewGuid():N}"));

    [Fact]
    public async Task Stores_AreSharedAcrossInstances_ButPrefixesDoNotLeak()
    {
        string id = Guid.NewGuid().ToString("N");
        await using var a = new MemoryStorage(StorageUri.Parse($"memory://shared/{id}/a"));
        await using var sameA = new MemoryStorage(StorageUri.Parse($"memory://shared/{id}/a"));
        await using var ab = new MemoryStorage(StorageUri.Parse($"memory://shared/{id}/ab"));

        await WriteTextAsync(a, "x.txt", "x", DateTimeOffset.UtcNow);

        Assert.Single(await ListAsync(sameA));
        Assert.Empty(await ListAsync(ab));
    }
}
