using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests.Reliability;

/// <summary>What the tool shows for keys a hostile remote holds: each refusal as a warning, control characters escaped.</summary>
[Collection("s3rver")]
public sealed class HostileKeyOutputTests(S3Server server) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RefusedKeys_AreWarnings_InTextAndJson_AndTheSyncSucceeds()
    {
        string prefix = $"hostile-cli/{Guid.NewGuid():N}";
        using (var client = new AmazonS3Client(new BasicAWSCredentials(S3Server.AccessKey, S3Server.SecretKey), new AmazonS3Config { ServiceURL = "http://" + server.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" }))
        {
            await client.PutObjectAsync(new PutObjectRequest { BucketName = S3Server.Bucket, Key = prefix + "/C:drive.txt", ContentBody = "x" });
            await client.PutObjectAsync(new PutObjectRequest { BucketName = S3Server.Bucket, Key = prefix + "/ok.txt", ContentBody = "ok" });
        }

        string remote = server.Location(prefix);

        var text = await SyncRun.RunAsync(new TestConsole(), ["down", remote, _temp.Combine("text")], registry: server.Registry);
        var json = await SyncRun.RunAsync(new TestConsole(), ["down", remote, _temp.Combine("json"), "--json"], registry: server.Registry);

        string warning = $"refused in '{remote}': the key starts with a drive letter; it was skipped.";
        Assert.Equal(0, text.ExitCode);
        Assert.Equal($"warning: C:drive.txt: {warning}\n", text.Stderr);
        Assert.Contains(", 1 refused in ", text.StdoutLines[^1], StringComparison.Ordinal);
        var refused = Assert.Single(json.JsonEvents()[^1].GetProperty("refused").EnumerateArray());
        Assert.Equal("C:drive.txt", refused.GetProperty("key").GetString());
        Assert.Equal(warning, refused.GetProperty("message").GetString());
        Assert.Equal(["ok.txt"], TempDirectory.Snapshot(_temp.Combine("text")).Keys);
    }

    [Fact]
    public async Task ControlCharactersInKeys_AreEscapedInTheOutput()
    {
        _temp.Write("remote/evil\u001b[2Jname.txt", "x");

        var result = await SyncRun.RunAsync("down", _temp.Combine("remote"), _temp.Combine("local"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("done evil\\u001b[2Jname.txt (1/1)", result.StdoutLines);
        Assert.DoesNotContain('\u001b', result.Stdout);
    }
}
