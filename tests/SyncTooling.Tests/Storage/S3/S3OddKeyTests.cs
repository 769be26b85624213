using Amazon.S3;
using Amazon.S3.Model;
using SyncTooling.Storage;
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
}
