using Amazon.S3;
using Amazon.S3.Model;
using SyncTooling.Storage;
using SyncTooling.Storage.S3;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Storage.S3;

/// <summary>Keys with control characters against the real s3rver: up, ls, down and delete.</summary>
[Collection("s3rver")]
public sealed class S3OddKeyTests(S3Server server) : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly SyncEngine _engine = new(server.Registry);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task TabNewlineAndDelete_RoundTripByteExact_AndDeleteEmptiesThePrefix()
    {
        foreach (string name in new[] { "tab\t.txt", "new\nline.txt", "del\u007f.txt", "sub/ok.txt" })
        {
            _temp.Write("src/" + name, "content of " + name);
        }

        var remote = StorageUri.Parse(server.Location($"odd/{Guid.NewGuid():N}"));

        var up = await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), remote);
        var listed = await _engine.ListAsync(remote);
        var down = await _engine.SyncAsync(remote, StorageUri.Parse(_temp.Combine("down")));
        var deleted = await _engine.DeleteAsync(remote);
        var after = await _engine.ListAsync(remote);

        Assert.Equal(4, up.Transferred.Count);
        Assert.Equal(["del\u007f.txt", "new\nline.txt", "sub/ok.txt", "tab\t.txt"], listed.Select(e => e.Key));
        Assert.True(down.Succeeded);
        Assert.Equal(TempDirectory.Snapshot(_temp.Combine("src")), TempDirectory.Snapshot(_temp.Combine("down")));
        Assert.Equal(4, deleted.Count);
        Assert.Empty(after);
    }

    /// <summary>
    /// s3rver ignores encoding-type and writes U+0001 raw into its XML listing, which no XML parser accepts: the listing
    /// fails with an error, never a shorter list (the HostileS3Server cases cover a server that encodes it).
    /// </summary>
    [Fact]
    public async Task ControlCharacterS3rverCannotList_FailsTheListing_AndDownDeletesNothing()
    {
        string prefix = $"odd/{Guid.NewGuid():N}";
        using (var client = new AmazonS3Client(server.Options.Credentials, new AmazonS3Config { ServiceURL = "http://" + server.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" }))
        {
            await client.PutObjectAsync(new PutObjectRequest { BucketName = S3Server.Bucket, Key = prefix + "/ctl\u0001.txt", ContentBody = "x", UseChunkEncoding = false });
        }

        _temp.Write("local/keep.txt", "keep");

        var ex = await Assert.ThrowsAsync<StorageException>(() => _engine.SyncAsync(StorageUri.Parse(server.Location(prefix)), StorageUri.Parse(_temp.Combine("local")), new SyncOptions { Delete = true, Retries = 0 }));

        Assert.Equal(StorageErrorKind.Permanent, ex.Kind);
        Assert.Equal(["keep.txt"], TempDirectory.Snapshot(_temp.Combine("local")).Keys);
    }

    /// <summary>The DELETE built outside the SDK for keys that are not UTF-8 names the key as s3rver decodes it.</summary>
    [Fact]
    public async Task RawKeyDelete_NamesTheKeyAsTheServerDecodesIt()
    {
        string key = $"odd/{Guid.NewGuid():N}/plain (1) é+%.txt";
        var config = new AmazonS3Config { ServiceURL = "http://" + server.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" };
        using var client = new AmazonS3Client(server.Options.Credentials, config);
        await client.PutObjectAsync(new PutObjectRequest { BucketName = S3Server.Bucket, Key = key, ContentBody = "x", UseChunkEncoding = false });
        await client.PutObjectAsync(new PutObjectRequest { BucketName = S3Server.Bucket, Key = key + "-neighbour", ContentBody = "x", UseChunkEncoding = false });
        var endpoint = S3Endpoint.Resolve(StorageUri.Parse(server.Location("odd")), server.Options);
        var credentials = new Amazon.Runtime.ImmutableCredentials(S3Server.AccessKey, S3Server.SecretKey, null);

        bool done = await S3RawKeyDelete.DeleteAsync(endpoint, credentials, System.Text.Encoding.UTF8.GetBytes(key), TimeSpan.FromSeconds(30), DateTime.UtcNow, key, CancellationToken.None);

        var left = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3Server.Bucket, Prefix = key });
        Assert.True(done);
        Assert.Equal([key + "-neighbour"], left.S3Objects.Select(o => o.Key));
    }

    /// <summary>s3rver does not check SigV4 signatures, so the signer is checked against AWS's documented example (GET Object).</summary>
    [Fact]
    public void Signer_MatchesAwsDocumentedExample()
    {
        var credentials = new Amazon.Runtime.ImmutableCredentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null);
        const string EmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

        string authorization = S3RawKeyDelete.Authorization(
            "GET",
            "/test.txt",
            "us-east-1",
            credentials,
            [("host", "examplebucket.s3.amazonaws.com"), ("range", "bytes=0-9"), ("x-amz-content-sha256", EmptyHash), ("x-amz-date", "20130524T000000Z")],
            EmptyHash,
            "20130524T000000Z");

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
            authorization);
    }
}
