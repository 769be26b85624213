using SyncTooling.Storage;
using SyncTooling.Storage.S3;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Storage.S3;

/// <summary>The storage conformance suite against real S3 servers over HTTP: s3rver and Ceph RGW.</summary>
public abstract class S3StorageTests(IS3TestServer server) : StorageConformanceTests
{
    protected override IStorage CreateStorage() => new S3Storage(StorageUri.Parse(server.Location($"conformance/{Guid.NewGuid():N}")), server.Options);

    protected override IStorage CreateStorageWithMissingRoot() => new S3Storage(StorageUri.Parse(server.Location($"missing/{Guid.NewGuid():N}")), server.Options);

    [Fact]
    public async Task CustomEndpoint_UsesCompatibleChecksums()
    {
        await using var storage = (S3Storage)CreateStorage();

        Assert.True(storage.CompatibleChecksums);
    }

    [Collection("s3rver")]
    public sealed class OnS3rver(S3Server server) : S3StorageTests(server);

    [Collection("ceph-rgw")]
    public sealed class OnCephRgw(CephRgw server) : S3StorageTests(server)
    {
        [Fact]
        public async Task FailedMultipartUpload_IsAborted_LeavingNoUploadAndNoObject()
        {
            string prefix = $"conformance/{Guid.NewGuid():N}";
            IS3TestServer rgw = server;
            var options = rgw.Options with { MultipartThreshold = 5 * 1024 * 1024, PartSize = 5 * 1024 * 1024, Retries = 0 };
            await using var storage = new S3Storage(StorageUri.Parse(rgw.Location(prefix)), options);
            using var client = rgw.CreateClient();

            // Two whole parts go up before the source breaks in the third.
            await Assert.ThrowsAsync<IOException>(() => storage.WriteAsync("big.bin", new FailingStream(12 * 1024 * 1024), 20 * 1024 * 1024, DateTimeOffset.UtcNow));
            var uploads = await client.ListMultipartUploadsAsync(new Amazon.S3.Model.ListMultipartUploadsRequest { BucketName = IS3TestServer.DefaultBucket, Prefix = prefix });

            Assert.Empty(uploads.MultipartUploads ?? []);
            Assert.Empty(await ListAsync(storage));
        }
    }
}
