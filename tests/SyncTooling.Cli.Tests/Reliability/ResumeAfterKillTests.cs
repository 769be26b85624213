using System.Security.Cryptography;
using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests.Reliability;

/// <summary>
/// The real `sync up` killed with SIGKILL in the middle of a multipart upload to Ceph RGW, then run again with
/// nothing to pass: the rerun sends exactly the parts the record of the killed run does not hold (counted at a
/// proxy in front of the server), says that it resumed, and the object is byte-exact.
/// </summary>
[Collection("ceph-rgw")]
public sealed class ResumeAfterKillTests(CephRgw rgw) : IDisposable
{
    private const int ToolPartSize = 8 * 1024 * 1024;
    private readonly TempDirectory _temp = new();

    private static Dictionary<string, string> Credentials => new()
    {
        ["AWS_ACCESS_KEY_ID"] = CephRgw.AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = CephRgw.SecretKey,
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    };

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AKilledUpload_IsContinuedByTheRerun_SendingOnlyTheMissingParts()
    {
        const int Parts = 16;
        long size = ((Parts - 1) * (long)ToolPartSize) + 777;
        Directory.CreateDirectory(_temp.Combine("src"));
        await File.WriteAllBytesAsync(_temp.Combine("src", "model.bin"), RandomNumberGenerator.GetBytes((int)size));
        await using var proxy = FaultProxy.PassThrough(rgw.Port);
        string prefix = $"resume-kill/{Guid.NewGuid():N}";
        string remote = $"s3://{IS3TestServer.DefaultBucket}/{prefix}?endpoint_override={proxy.Endpoint}&scheme=http";
        string fullKey = prefix + "/model.bin";

        using (var child = SyncProcess.Start(Credentials, "up", _temp.Combine("src"), remote))
        {
            Assert.True(await child.WaitUntilAsync(() => UploadCheckpointFiles.RecordedParts(fullKey).Length >= 2, TimeSpan.FromMinutes(2)), "no part was recorded: " + child.Stderr);
            await child.KillAsync();
        }

        int[] recorded = UploadCheckpointFiles.RecordedParts(fullKey);
        proxy.ClearRequestLines();
        using var rerun = SyncProcess.Start(Credentials, "up", _temp.Combine("src"), remote);
        int exitCode = await rerun.WaitForExitAsync(TimeSpan.FromMinutes(2));
        int[] sent = UploadCheckpointFiles.PartsSent(proxy);
        await new SyncEngine(((IS3TestServer)rgw).Registry).SyncAsync(StorageUri.Parse(((IS3TestServer)rgw).Location(prefix)), StorageUri.Parse(_temp.Combine("check")));

        Assert.Equal(0, exitCode);
        Assert.InRange(recorded.Length, 2, Parts - 1);
        Assert.Equal(Enumerable.Range(1, Parts).Except(recorded), sent);
        Assert.Contains($"note: Resuming the upload of '", rerun.Stderr, StringComparison.Ordinal);
        Assert.Contains($": {recorded.Length} parts ({recorded.Length * (long)ToolPartSize} of {size} bytes) are on the server already", rerun.Stderr, StringComparison.Ordinal);
        Assert.Equal(TempDirectory.Snapshot(_temp.Combine("src")), TempDirectory.Snapshot(_temp.Combine("check")));
        Assert.Null(UploadCheckpointFiles.Find(fullKey));
    }
}
