using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using SyncTooling.Build.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Build.Tests.Reliability;

/// <summary>A key the remote holds but no file system should: SyncDown warns SYNCB013 and still succeeds.</summary>
[Collection("s3rver")]
public sealed class TaskRefusedKeyTests(S3Server server) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SyncDown_WarnsSyncb013ForARefusedKey_AndFetchesTheRest()
    {
        string prefix = $"hostile-task/{Guid.NewGuid():N}";
        using (var client = new AmazonS3Client(new BasicAWSCredentials(S3Server.AccessKey, S3Server.SecretKey), new AmazonS3Config { ServiceURL = "http://" + server.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" }))
        {
            await client.PutObjectAsync(new PutObjectRequest { BucketName = S3Server.Bucket, Key = prefix + "/back\\slash.txt", ContentBody = "x" });
            await client.PutObjectAsync(new PutObjectRequest { BucketName = S3Server.Bucket, Key = prefix + "/ok.txt", ContentBody = "ok" });
        }

        string remote = server.Location(prefix);
        var task = new SyncDown { RemoteDir = remote, LocalDir = _temp.Path };
        var log = TaskHarness.Attach(task);
        task.Registry = server.Registry;

        bool ok = task.Execute();

        Assert.True(ok);
        Assert.Contains($"warning SYNCB013: Skipped key 'back\\slash.txt': refused in '{remote}': the key contains a backslash; it was skipped.", log.Log);
        Assert.Equal(["ok.txt"], TempDirectory.Snapshot(_temp.Path).Keys);
    }
}
