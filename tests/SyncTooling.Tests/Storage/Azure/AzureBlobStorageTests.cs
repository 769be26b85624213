using SyncTooling.Storage;
using SyncTooling.Storage.Azure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Storage.Azure;

/// <summary>The storage conformance suite against a real Azure Blob Storage emulator (Azurite over HTTP).</summary>
[Collection("azurite")]
public sealed class AzureBlobStorageTests(AzuriteServer server) : StorageConformanceTests
{
    protected override IStorage CreateStorage() => new AzureBlobStorage(StorageUri.Parse(server.Location($"conformance/{Guid.NewGuid():N}")), server.Options);

    protected override IStorage CreateStorageWithMissingRoot() => new AzureBlobStorage(StorageUri.Parse(server.Location($"missing/{Guid.NewGuid():N}")), server.Options);
}
