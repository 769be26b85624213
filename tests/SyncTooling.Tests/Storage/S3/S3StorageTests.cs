using SyncTooling.Storage;
using SyncTooling.Storage.S3;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Storage.S3;

/// <summary>The storage conformance suite against a real S3 server (s3rver over HTTP).</summary>
[Collection("s3rver")]
public sealed class S3StorageTests(S3Server server) : StorageConformanceTests
{
    protected override IStorage CreateStorage() => new S3Storage(StorageUri.Parse(server.Location($"conformance/{Guid.NewGuid():N}")), server.Options);

    protected override IStorage CreateStorageWithMissingRoot() => new S3Storage(StorageUri.Parse(server.Location($"missing/{Guid.NewGuid():N}")), server.Options);

    [Fact]
    public async Task CustomEndpoint_UsesCompatibleChecksums()
    {
        await using var storage = (S3Storage)CreateStorage();

        Assert.True(storage.CompatibleChecksums);
    }
}
