using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Reliability;

/// <summary>Keys planted in s3rver with the raw SDK, as a hostile or careless writer would: sync down stays inside its folder.</summary>
public static class HostileKeyTests
{
    private const string FilePrefixReason = "the key is a file and also the folder of other keys, which a file system cannot hold";

    /// <summary>Keys s3rver can hold (relative to the prefix), each with the reason it is refused; null when it arrives.</summary>
    private static readonly (string Key, string? Reason)[] S3Keys =
    [
        ("C:drive.txt", "the key starts with a drive letter"),
        ("back\\slash.txt", "the key contains a backslash"),
        ("both", FilePrefixReason),
        ("both/child.txt", null),
        ("Case.txt", null),
        ("case.txt", null),
        ("ok/normal.txt", null),
    ];

    /// <summary>
    /// Keys no S3 client here can plant: the SDK's URI normalizes dot segments away, s3rver answers 404 to a path
    /// with "//", and it stores each key as a file, so it cannot hold a 256-byte segment. A listing-only backend
    /// serves them instead.
    /// </summary>
    private static readonly (string Key, string? Reason)[] UnplantableKeys =
    [
        ("../escape.txt", "the key has a '..' segment"),
        ("a/../../b.txt", "the key has a '..' segment"),
        ("./dot.txt", "the key has a '.' segment"),
        ("x/./y.txt", "the key has a '.' segment"),
        ("sub/..", "the key has a '..' segment"),
        ("/absolute.txt", "the key is absolute"),
        ("empty//segment.txt", "the key has an empty segment ('//')"),
        (new string('n', 256), "a segment is longer than 255 bytes, the longest file name common file systems allow"),
        ("nul\0.txt", "the key contains NUL"),
        ("ok.txt", null),
    ];

    private static IEnumerable<(string, string)> Refusals((string Key, string? Reason)[] keys, string location) =>
        keys.Where(k => k.Reason is not null).Select(k => (k.Key, $"refused in '{location}': {k.Reason}; it was skipped.")).OrderBy(k => k.Key, StringComparer.Ordinal);

    [Collection("s3rver")]
    public sealed class SyncDownFromS3(S3Server server) : IDisposable
    {
        private readonly TempDirectory _temp = new();

        public void Dispose() => _temp.Dispose();

        [Fact]
        public async Task RefusesEachUnsafeKey_WithItsReason_AndWritesOnlyInsideTheTarget()
        {
            string prefix = $"hostile/{Guid.NewGuid():N}";
            using var client = Client(server);
            foreach (var (key, _) in S3Keys)
            {
                await client.PutObjectAsync(new PutObjectRequest { BucketName = S3Server.Bucket, Key = prefix + "/" + key, ContentBody = "planted " + key });
            }

            await client.PutObjectAsync(new PutObjectRequest { BucketName = S3Server.Bucket, Key = prefix + "/folder-marker/", ContentBody = string.Empty });
            string target = _temp.Combine("deep", "target");
            Directory.CreateDirectory(target);

            var result = await new SyncEngine(server.Registry).SyncAsync(StorageUri.Parse(server.Location(prefix)), StorageUri.Parse(target), new SyncOptions { Delete = true });

            Assert.Equal(Refusals(S3Keys, server.Location(prefix)), result.Refused.Select(r => (r.Key, r.Message)));
            Assert.Empty(result.Failures);
            Assert.Equal(["Case.txt", "both/child.txt", "case.txt", "ok/normal.txt"], TempDirectory.Snapshot(_temp.Path).Keys.Select(k => k["deep/target/".Length..]).Order(StringComparer.Ordinal));
            Assert.All(TempDirectory.Snapshot(_temp.Path).Keys, k => Assert.StartsWith("deep/target/", k, StringComparison.Ordinal));
        }

        private static AmazonS3Client Client(S3Server server) => new(
            new BasicAWSCredentials(S3Server.AccessKey, S3Server.SecretKey),
            new AmazonS3Config { ServiceURL = "http://" + server.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
    }

    public sealed class SyncDownFromKeysS3rverCannotHold : IDisposable
    {
        private readonly TempDirectory _temp = new();

        public void Dispose() => _temp.Dispose();

        [Fact]
        public async Task RefusesEachUnsafeKey_WithItsReason_AndWritesOnlyInsideTheTarget()
        {
            var registry = new StorageRegistry()
                .Register("file", uri => new SyncTooling.Storage.File.FileStorage(uri))
                .Register("memory", uri => new PlantedStorage(uri, UnplantableKeys.Select(k => k.Key)));
            string target = _temp.Combine("deep", "target");

            var result = await new SyncEngine(registry).SyncAsync(StorageUri.Parse("memory://planted/x"), StorageUri.Parse(target), new SyncOptions { Delete = true });

            Assert.Equal(Refusals(UnplantableKeys, "memory://planted/x"), result.Refused.Select(r => (r.Key, r.Message)));
            Assert.Equal(["deep/target/ok.txt"], TempDirectory.Snapshot(_temp.Path).Keys);
        }

        /// <summary>Lists whatever keys it is given, unchecked, as a hostile server would.</summary>
        private sealed class PlantedStorage(StorageUri location, IEnumerable<string> keys) : IStorage
        {
            public StorageUri Location => location;

            public StorageCapabilities Capabilities { get; } = new(false, TimeSpan.FromSeconds(1), false, 1000);

            public async IAsyncEnumerable<StorageEntry> ListAsync(Func<string, bool>? shouldDescend = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
            {
                await Task.Yield();
                foreach (string key in keys)
                {
                    yield return new StorageEntry(key, 4, DateTimeOffset.UnixEpoch);
                }
            }

            public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult<Stream>(new MemoryStream("data"u8.ToArray()));

            public Task WriteAsync(string key, Stream content, long length, DateTimeOffset lastModified, CancellationToken cancellationToken = default) => throw new NotSupportedException();

            public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) => throw new NotSupportedException();

            public Task DeleteAllAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
