using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3.Model;
using SyncTooling.Storage;
using SyncTooling.Storage.Azure;
using SyncTooling.Storage.S3;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Reliability;

/// <summary>
/// Interrupted multipart uploads continue where they stopped: on Ceph RGW (which has ListParts) only the parts the
/// server lacks are sent again, counted at a proxy in front of it, and the object completes byte-exact; a changed
/// file starts over and the old upload is aborted; an upload whose file left the sync is aborted; s3rver (no
/// ListParts) falls back to a full upload and says so.
/// </summary>
public static class UploadResumeTests
{
    internal const int PartSize = 5 * 1024 * 1024;

    internal static JsonElement? Checkpoint(string fullKey) => UploadCheckpointFiles.Find(fullKey);

    internal static int[] RecordedParts(string fullKey) => UploadCheckpointFiles.RecordedParts(fullKey);

    internal static int[] PartsSent(FaultProxy proxy) => UploadCheckpointFiles.PartsSent(proxy);

    /// <summary>Reads <paramref name="inner"/> and cancels <paramref name="stop"/> once <paramref name="after"/> bytes were read: an interruption mid-upload.</summary>
    private sealed class InterruptingStream(Stream inner, long after, CancellationTokenSource stop, bool seekable = true) : Stream
    {
        private long _read;
        private bool _rewound;

        public override bool CanRead => true;

        public override bool CanSeek => seekable;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set
            {
                _rewound = true;
                inner.Position = value;
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            _rewound = true;
            return inner.Seek(offset, origin);
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            // A seekable stream is hashed whole first, then rewound: only the reads after that are the upload.
            if (!seekable || _rewound)
            {
                _read += read;
            }

            if (_read > after)
            {
                stop.Cancel();
            }

            return read;
        }
    }

    [Collection("ceph-rgw")]
    public sealed class OnCephRgw(CephRgw rgw) : IAsyncLifetime
    {
        private readonly TempDirectory _temp = new();
        private readonly string _prefix = $"resume/{Guid.NewGuid():N}";
        private FaultProxy _proxy = null!;

        private IS3TestServer Server => rgw;

        public Task InitializeAsync()
        {
            _proxy = FaultProxy.PassThrough(rgw.Port);
            return Task.CompletedTask;
        }

        public async Task DisposeAsync()
        {
            await _proxy.DisposeAsync();
            _temp.Dispose();
        }

        private S3StorageOptions Options(ListLogger? logger = null) => Server.Options with
        {
            MultipartThreshold = PartSize,
            PartSize = PartSize,
            PartsInFlight = 2,
            Logger = logger ?? new ListLogger(),
        };

        private S3Storage Storage(ListLogger? logger = null) =>
            new(StorageUri.Parse($"s3://{IS3TestServer.DefaultBucket}/{_prefix}?endpoint_override={_proxy.Endpoint}&scheme=http"), Options(logger));

        private string FullKey(string key) => $"{_prefix}/{key}";

        private async Task InterruptAsync(S3Storage storage, string key, byte[] data, DateTimeOffset modified, long after, bool seekable = true)
        {
            using var stop = new CancellationTokenSource();
            var stream = new InterruptingStream(new MemoryStream(data), after, stop, seekable);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => storage.WriteAsync(key, stream, data.Length, modified, stop.Token));
        }

        private async Task<byte[]> DownloadAsync(string key)
        {
            using var client = Server.CreateClient();
            using var response = await client.GetObjectAsync(IS3TestServer.DefaultBucket, FullKey(key));
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer);
            return buffer.ToArray();
        }

        private async Task<List<MultipartUpload>> OpenUploadsAsync()
        {
            using var client = Server.CreateClient();
            var uploads = await client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = IS3TestServer.DefaultBucket, Prefix = _prefix });
            return uploads.MultipartUploads ?? [];
        }

        [Fact]
        public async Task AnInterruptedUpload_SendsOnlyTheMissingParts_AndCompletesByteExact()
        {
            byte[] data = RandomNumberGenerator.GetBytes((8 * PartSize) + 12345);
            var modified = DateTimeOffset.UtcNow.AddMinutes(-5);
            var logger = new ListLogger();
            await using var storage = Storage(logger);
            await InterruptAsync(storage, "model.bin", data, modified, after: 4L * PartSize);
            int[] recorded = RecordedParts(FullKey("model.bin"));
            string checkpointText = Checkpoint(FullKey("model.bin"))!.Value.GetRawText();
            var leftOpen = await OpenUploadsAsync();
            _proxy.ClearRequestLines();

            await storage.WriteAsync("model.bin", new MemoryStream(data), data.Length, modified);

            Assert.InRange(recorded.Length, 2, 6);
            Assert.Single(leftOpen);
            Assert.Equal(Enumerable.Range(1, 9).Except(recorded), PartsSent(_proxy));
            Assert.Equal(data, await DownloadAsync("model.bin"));
            Assert.Empty(await OpenUploadsAsync());
            Assert.Null(Checkpoint(FullKey("model.bin")));
            Assert.Contains(logger.Lines, l => l.StartsWith($"Information: Resuming the upload of '", StringComparison.Ordinal) && l.Contains($": {recorded.Length} parts ({recorded.Length * PartSize} of {data.Length} bytes) are on the server already", StringComparison.Ordinal));
            Assert.DoesNotContain(CephRgw.SecretKey, checkpointText, StringComparison.Ordinal);
            Assert.DoesNotContain(CephRgw.AccessKey, checkpointText, StringComparison.Ordinal);
        }

        [Fact]
        public async Task AChangedFile_StartsOver_AndAbortsTheOldUpload()
        {
            byte[] data = RandomNumberGenerator.GetBytes(6 * PartSize);
            var modified = DateTimeOffset.UtcNow.AddMinutes(-5);
            await using var storage = Storage();
            await InterruptAsync(storage, "model.bin", data, modified, after: 3L * PartSize);
            string oldUpload = Checkpoint(FullKey("model.bin"))!.Value.GetProperty("UploadId").GetString()!;
            data[7] ^= 0xFF;
            _proxy.ClearRequestLines();

            await storage.WriteAsync("model.bin", new MemoryStream(data), data.Length, modified.AddSeconds(1));

            Assert.Equal(Enumerable.Range(1, 6), PartsSent(_proxy));
            Assert.Equal(data, await DownloadAsync("model.bin"));
            Assert.DoesNotContain(await OpenUploadsAsync(), u => u.UploadId == oldUpload);
            Assert.Empty(await OpenUploadsAsync());
        }

        [Fact]
        public async Task PartsThatReadOtherwiseThanTheyWereSent_FailTheAttempt_AndTheRetryStartsOver()
        {
            // Same size and time, and a stream that cannot be hashed up front: only the parts' MD5s can tell.
            byte[] data = RandomNumberGenerator.GetBytes(6 * PartSize);
            var modified = DateTimeOffset.UtcNow.AddMinutes(-5);
            await using var storage = Storage();
            await InterruptAsync(storage, "model.bin", data, modified, after: 4L * PartSize, seekable: false);
            Assert.Contains(1, RecordedParts(FullKey("model.bin")));
            data[7] ^= 0xFF;

            var changed = await Assert.ThrowsAnyAsync<StorageException>(() => storage.WriteAsync("model.bin", new InterruptingStream(new MemoryStream(data), long.MaxValue, new CancellationTokenSource(), seekable: false), data.Length, modified));
            var openAfterChange = await OpenUploadsAsync();
            await storage.WriteAsync("model.bin", new InterruptingStream(new MemoryStream(data), long.MaxValue, new CancellationTokenSource(), seekable: false), data.Length, modified);

            Assert.True(changed.IsTransient);
            Assert.EndsWith("/model.bin?endpoint_override=" + _proxy.Endpoint + "&scheme=http': the local file changed since its upload was interrupted (part 1 reads otherwise than it was sent); the upload starts over.", changed.Message, StringComparison.Ordinal);
            Assert.Empty(openAfterChange);
            Assert.Equal(data, await DownloadAsync("model.bin"));
        }

        [Fact]
        public async Task AnUploadWhoseFileLeftTheSync_IsAbortedByTheNextSync()
        {
            _temp.Write("src/keep.txt", "keep");
            byte[] data = RandomNumberGenerator.GetBytes(4 * PartSize);
            var registry = new StorageRegistry()
                .Register("file", uri => new SyncTooling.Storage.File.FileStorage(uri))
                .Register("s3", uri => new S3Storage(uri, Options()));
            string remote = $"s3://{IS3TestServer.DefaultBucket}/{_prefix}?endpoint_override={_proxy.Endpoint}&scheme=http";
            await using (var storage = Storage())
            {
                await InterruptAsync(storage, "gone.bin", data, DateTimeOffset.UtcNow, after: 2L * PartSize);
            }

            var openBefore = await OpenUploadsAsync();

            await new SyncEngine(registry).SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote));

            Assert.Single(openBefore);
            Assert.Empty(await OpenUploadsAsync());
            Assert.Null(Checkpoint(FullKey("gone.bin")));
        }

        [Fact]
        public async Task AnUploadOfAnotherShard_IsLeftForItsOwnRun()
        {
            _temp.Write("src/keep.txt", "keep");
            byte[] data = RandomNumberGenerator.GetBytes(3 * PartSize);
            var registry = new StorageRegistry()
                .Register("file", uri => new SyncTooling.Storage.File.FileStorage(uri))
                .Register("s3", uri => new S3Storage(uri, Options()));
            string remote = $"s3://{IS3TestServer.DefaultBucket}/{_prefix}?endpoint_override={_proxy.Endpoint}&scheme=http";
            await using (var storage = Storage())
            {
                await InterruptAsync(storage, "other.bin", data, DateTimeOffset.UtcNow, after: 2L * PartSize);
            }

            var otherShard = new SyncShard(SyncShard.Of("other.bin", 2) == 1 ? 2 : 1, 2);

            await new SyncEngine(registry).SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote), new SyncOptions { Shard = otherShard, AllowEmptySource = true });

            Assert.Single(await OpenUploadsAsync());
            Assert.NotNull(Checkpoint(FullKey("other.bin")));
        }
    }

    [Collection("azurite")]
    public sealed class OnAzurite(AzuriteServer azurite) : IAsyncLifetime
    {
        private const int BlockSize = 1024 * 1024;
        private readonly string _prefix = $"resume/{Guid.NewGuid():N}";
        private FaultProxy _proxy = null!;

        public Task InitializeAsync()
        {
            _proxy = FaultProxy.PassThrough(azurite.Port);
            return Task.CompletedTask;
        }

        public async Task DisposeAsync() => await _proxy.DisposeAsync();

        private AzureBlobStorage Storage(ListLogger logger) => new(
            StorageUri.Parse($"az://{AzuriteServer.Container}/{_prefix}?endpoint=http://{_proxy.Endpoint}/{AzuriteServer.Account}"),
            AzuriteServer.WithEnvironment(new() { ["AZURE_STORAGE_ACCOUNT"] = AzuriteServer.Account, ["AZURE_STORAGE_KEY"] = AzuriteServer.AccountKey }) with
            {
                BlockUploadThreshold = BlockSize,
                BlockSize = BlockSize,
                BlocksInFlight = 2,
                Logger = logger,
            });

        private int[] BlocksSent() => UploadCheckpointFiles.BlocksSent(_proxy);

        [Fact]
        public async Task AnInterruptedBlockUpload_StagesOnlyTheMissingBlocks_AndCommitsByteExact()
        {
            byte[] data = RandomNumberGenerator.GetBytes((10 * BlockSize) + 999);
            var modified = DateTimeOffset.UtcNow.AddMinutes(-5);
            var logger = new ListLogger();
            await using var storage = Storage(logger);
            using (var stop = new CancellationTokenSource())
            {
                var stream = new InterruptingStream(new MemoryStream(data), 5L * BlockSize, stop, seekable: false);
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => storage.WriteAsync("model.bin", stream, data.Length, modified, stop.Token));
            }

            int[] recorded = RecordedParts($"{_prefix}/model.bin");
            _proxy.ClearRequestLines();

            await storage.WriteAsync("model.bin", new MemoryStream(data), data.Length, modified);
            var blob = azurite.ContainerClient.GetBlobClient($"{_prefix}/model.bin");
            var content = (await blob.DownloadContentAsync()).Value.Content.ToArray();

            Assert.InRange(recorded.Length, 2, 10);
            Assert.Equal(Enumerable.Range(1, 11).Except(recorded), BlocksSent());
            Assert.Equal(data, content);
            Assert.Contains(logger.Lines, l => l.StartsWith("Information: Resuming the upload of '", StringComparison.Ordinal) && l.EndsWith($": {recorded.Length} blocks ({recorded.Length * BlockSize} of {data.Length} bytes) are staged already", StringComparison.Ordinal));
            Assert.Null(Checkpoint($"{_prefix}/model.bin"));
        }

        [Fact]
        public async Task AChangedFile_StagesEveryBlockAgain()
        {
            byte[] data = RandomNumberGenerator.GetBytes(6 * BlockSize);
            var modified = DateTimeOffset.UtcNow.AddMinutes(-5);
            await using var storage = Storage(new ListLogger());
            using (var stop = new CancellationTokenSource())
            {
                var stream = new InterruptingStream(new MemoryStream(data), 3L * BlockSize, stop, seekable: false);
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => storage.WriteAsync("model.bin", stream, data.Length, modified, stop.Token));
            }

            data[3] ^= 0xFF;
            _proxy.ClearRequestLines();

            await storage.WriteAsync("model.bin", new MemoryStream(data), data.Length, modified.AddSeconds(1));
            var content = (await azurite.ContainerClient.GetBlobClient($"{_prefix}/model.bin").DownloadContentAsync()).Value.Content.ToArray();

            Assert.Equal(Enumerable.Range(1, 6), BlocksSent());
            Assert.Equal(data, content);
        }
    }

    [Collection("s3rver")]
    public sealed class OnS3rver(S3Server server) : IDisposable
    {
        private readonly string _prefix = $"resume/{Guid.NewGuid():N}";

        public void Dispose()
        {
        }

        [Fact]
        public async Task WithoutListParts_TheRerunUploadsInFull_AndSaysSo()
        {
            byte[] data = RandomNumberGenerator.GetBytes(4 * PartSize);
            var modified = DateTimeOffset.UtcNow.AddMinutes(-5);
            var logger = new ListLogger();
            var location = StorageUri.Parse(server.Location(_prefix));
            await using var storage = new S3Storage(location, server.Options with { MultipartThreshold = PartSize, PartSize = PartSize, PartsInFlight = 1, Logger = logger });
            using (var stop = new CancellationTokenSource())
            {
                var stream = new InterruptingStream(new MemoryStream(data), 2L * PartSize, stop);
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => storage.WriteAsync("model.bin", stream, data.Length, modified, stop.Token));
            }

            Assert.NotEmpty(RecordedParts($"{_prefix}/model.bin"));

            await storage.WriteAsync("model.bin", new MemoryStream(data), data.Length, modified);
            await using var read = await storage.OpenReadAsync("model.bin");
            using var back = new MemoryStream();
            await read.CopyToAsync(back);

            Assert.Equal(data, back.ToArray());
            Assert.Equal($"Warning: The S3 server at 127.0.0.1 cannot list the parts of an upload (ListParts: MethodNotAllowed), so the interrupted upload of '{StorageUri.Parse(server.Location(_prefix + "/model.bin"))}' cannot resume; uploading it in full", Assert.Single(logger.Lines, l => l.StartsWith("Warning:", StringComparison.Ordinal)));
            Assert.Null(Checkpoint($"{_prefix}/model.bin"));
        }
    }
}
