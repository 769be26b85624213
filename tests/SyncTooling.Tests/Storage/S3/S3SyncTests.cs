using System.Security.Cryptography;
using Amazon.Runtime;
using SyncTooling.Storage;
using SyncTooling.Storage.S3;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Storage.S3;

/// <summary>
/// Whole syncs against real S3 servers (s3rver and Ceph RGW), compared by the SHA-256 of every file after a
/// round trip.
/// </summary>
public abstract partial class S3SyncTests(IS3TestServer server) : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly SyncEngine _engine = new(server.Registry);

    public void Dispose()
    {
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }

    private IS3TestServer Server => server;

    private string NewRemote() => server.Location($"sync/{Guid.NewGuid():N}");

    [Collection("s3rver")]
    public sealed class OnS3rver(S3Server server) : S3SyncTests(server);

    private async Task<(SyncResult Up, SyncResult Down)> RoundTripAsync(string source, string remote, SyncOptions? options = null)
    {
        var up = await _engine.SyncAsync(StorageUri.Parse(source), StorageUri.Parse(remote), options);
        var down = await _engine.SyncAsync(StorageUri.Parse(remote), StorageUri.Parse(_temp.Combine("down")), options);
        return (up, down);
    }

    [Fact]
    public async Task ManyFiles_RoundTripByteExact_AcrossListingPages_AndResyncTransfersNothing()
    {
        for (int i = 0; i < 1500; i++)
        {
            _temp.Write($"src/d{i % 30}/f{i}.txt", $"file {i} " + new string('x', i % 97));
        }

        string remote = NewRemote();

        var (up, down) = await RoundTripAsync(_temp.Combine("src"), remote);
        var again = await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote));
        var againDown = await _engine.SyncAsync(StorageUri.Parse(remote), StorageUri.Parse(_temp.Combine("down")));

        Assert.Equal(1500, up.Transferred.Count);
        Assert.Equal(1500, down.Transferred.Count);
        Assert.Equal(TempDirectory.Snapshot(_temp.Combine("src")), TempDirectory.Snapshot(_temp.Combine("down")));
        Assert.Empty(again.Transferred);
        Assert.Equal(1500, again.Plan.Unchanged.Count);
        Assert.Empty(againDown.Transferred);
    }

    [Fact]
    public async Task LargeFile_GoesUpInParts_ByteExact_WithItsMd5InMetadata()
    {
        string big = _temp.Combine("src", "model.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(big)!);
        byte[] data = RandomNumberGenerator.GetBytes(64 * 1024 * 1024);
        await File.WriteAllBytesAsync(big, data);
        string remote = NewRemote();

        var (up, _) = await RoundTripAsync(_temp.Combine("src"), remote);

        Assert.Equal(data.Length, up.BytesTransferred);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await File.ReadAllBytesAsync(_temp.Combine("down", "model.bin"))));
        using var client = server.CreateClient();
        var head = await client.GetObjectMetadataAsync(IS3TestServer.DefaultBucket, StorageUri.Parse(remote).Path + "/model.bin");
        Assert.Equal(Convert.ToBase64String(MD5.HashData(data)), head.Metadata["x-amz-meta-" + S3Storage.Md5MetadataKey]);
    }

    [Fact]
    public async Task AwkwardNames_EmptyFiles_DeepNesting_RoundTrip()
    {
        string[] names =
        [
            "space name.txt", "ünïcødé/日本語.txt", "plus+sign.txt", "percent%41.txt", "hash#tag.txt", "question?.txt",
            "a/b/c/d/e/f/g/h/i/j/deep.txt", "empty.txt", ".hidden",
        ];
        foreach (string name in names)
        {
            _temp.Write("src/" + name, name == "empty.txt" ? string.Empty : "data of " + name);
        }

        var (up, down) = await RoundTripAsync(_temp.Combine("src"), NewRemote());

        Assert.Equal(names.Length, up.Transferred.Count);
        Assert.Equal(names.Length, down.Transferred.Count);
        Assert.Equal(TempDirectory.Snapshot(_temp.Combine("src")), TempDirectory.Snapshot(_temp.Combine("down")));
    }

    [Fact]
    public async Task Excludes_ApplyUpAndDown()
    {
        foreach (string f in new[] { "keep.txt", "drop.tmp", "logs/a.log", "sub/keep2.txt" })
        {
            _temp.Write("src/" + f, f);
        }

        string remote = NewRemote();
        var (up, down) = await RoundTripAsync(_temp.Combine("src"), remote, new SyncOptions { Exclude = ["*.tmp", "logs/"] });

        Assert.Equal(["keep.txt", "sub/keep2.txt"], up.Transferred);
        Assert.Equal(["keep.txt", "sub/keep2.txt"], TempDirectory.Snapshot(_temp.Combine("down")).Keys);
    }

    [Fact]
    public async Task ChecksumMode_ComparesMd5WithTheETag()
    {
        string file = _temp.Write("src/a.txt", "version one");
        string remote = NewRemote();
        await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote));
        File.WriteAllText(file, "version two");
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-1)); // older than the object: time says "unchanged"

        var byTime = await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote));
        var byHash = await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote), new SyncOptions { Checksum = true });
        var hashAgain = await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote), new SyncOptions { Checksum = true });

        Assert.Empty(byTime.Transferred);
        Assert.Equal(["a.txt"], byHash.Transferred);
        Assert.Empty(hashAgain.Transferred);
    }

    [Fact]
    public async Task Delete_MirrorsAndRemovesTheRemote()
    {
        _temp.Write("src/a.txt", "a");
        _temp.Write("src/b.txt", "b");
        string remote = NewRemote();
        await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote));
        File.Delete(_temp.Combine("src", "b.txt"));

        var mirrored = await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote), new SyncOptions { Delete = true });
        var deletedAll = await _engine.DeleteAsync(StorageUri.Parse(remote));
        var listing = await _engine.ListAsync(StorageUri.Parse(remote));

        Assert.Equal(["b.txt"], mirrored.Deleted);
        Assert.Equal(["a.txt"], deletedAll);
        Assert.Empty(listing);
    }

    [Fact]
    public async Task MissingBucket_FailsAtOnce_NamingTheBucket()
    {
        _temp.Write("src/a.txt", "a");

        var ex = await Assert.ThrowsAsync<StorageException>(() =>
            _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(server.Location("x", bucket: "no-such-bucket"))));

        Assert.Equal("Bucket 'no-such-bucket' does not exist (NoSuchBucket): check the bucket name, the region and the endpoint.", ex.Message);
        Assert.True(ex.ContainerMissing);
    }

    [Fact]
    public async Task MissingBucket_AsTheSource_IsAMissingSource_AndALsOrDeleteOfIt_IsNotFound()
    {
        _temp.Write("down/precious.txt", "keep me");
        var missing = StorageUri.Parse(server.Location("x", bucket: "no-such-bucket"));

        var down = await Assert.ThrowsAsync<SourceNotFoundException>(() =>
            _engine.SyncAsync(missing, StorageUri.Parse(_temp.Combine("down")), new SyncOptions { Delete = true }));
        var ls = await Assert.ThrowsAsync<StorageException>(() => _engine.ListAsync(missing));
        var delete = await Assert.ThrowsAsync<StorageException>(() => _engine.DeleteAsync(missing));

        Assert.Contains("Bucket 'no-such-bucket' does not exist (NoSuchBucket)", down.Message, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(_temp.Combine("down", "precious.txt")));
        Assert.Equal(StorageErrorKind.NotFound, ls.Kind);
        Assert.True(ls.ContainerMissing);
        Assert.Equal(StorageErrorKind.NotFound, delete.Kind);
    }

    [Fact]
    public async Task WrongCredentials_FailAtOnce_WithoutShowingTheSecret()
    {
        var registry = new StorageRegistry().Register("s3", uri => new S3Storage(uri, new S3StorageOptions { Credentials = new BasicAWSCredentials("WRONGKEY", "TopSecretValue123"), Environment = _ => null }));

        var ex = await Assert.ThrowsAsync<StorageException>(() => new SyncEngine(registry).ListAsync(StorageUri.Parse(NewRemote())));

        Assert.Equal(StorageErrorKind.AccessDenied, ex.Kind);
        Assert.StartsWith($"The server does not know the access key id (InvalidAccessKeyId) for bucket '{IS3TestServer.DefaultBucket}'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("TopSecretValue123", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gcs_ThroughTheS3Api_RoundTrips()
    {
        var env = new Dictionary<string, string> { ["GS_ACCESS_KEY_ID"] = server.Credentials.GetCredentials().AccessKey, ["GS_SECRET_ACCESS_KEY"] = server.Credentials.GetCredentials().SecretKey };
        var registry = new StorageRegistry()
            .Register("file", uri => new SyncTooling.Storage.File.FileStorage(uri))
            .Register("gs", uri => new S3Storage(uri, new S3StorageOptions { Environment = name => env.GetValueOrDefault(name) }));
        var engine = new SyncEngine(registry);
        _temp.Write("src/a.txt", "gcs a");
        _temp.Write("src/b/c.txt", "gcs c");
        string remote = $"gs://{IS3TestServer.DefaultBucket}/gcs/{Guid.NewGuid():N}?endpoint_override={server.Endpoint}&scheme=http&force_path_style=true";

        await engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote));
        await engine.SyncAsync(StorageUri.Parse(remote), StorageUri.Parse(_temp.Combine("down")));
        var deleted = await engine.DeleteAsync(StorageUri.Parse(remote));

        Assert.Equal(TempDirectory.Snapshot(_temp.Combine("src")), TempDirectory.Snapshot(_temp.Combine("down")));
        Assert.Equal(2, deleted.Count);
    }
}
