using System.Security.Cryptography;
using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests.Reliability;

/// <summary>
/// The real `sync up` killed with SIGKILL in the middle of a multipart upload to Ceph RGW (or a block upload to
/// Azurite), then run again with nothing to pass: the rerun sends exactly the parts the record of the killed run does
/// not hold (counted at a proxy in front of the server), says that it resumed, and the object is byte-exact.
/// </summary>
public static class ResumeAfterKillTests
{
    private const int ToolPartSize = 8 * 1024 * 1024;

    /// <summary>Kills the first run once two parts are recorded; returns the parts recorded then, and the rerun.</summary>
    private static async Task<(int[] Recorded, int ExitCode, string Stderr)> KillAndRerunAsync(TempDirectory temp, Dictionary<string, string> environment, string remote, string fullKey, FaultProxy proxy)
    {
        using (var child = SyncProcess.Start(environment, "up", temp.Combine("src"), remote))
        {
            Assert.True(await child.WaitUntilAsync(() => UploadCheckpointFiles.RecordedParts(fullKey).Length >= 2, TimeSpan.FromMinutes(2)), "no part was recorded: " + child.Stderr);
            await child.KillAsync();
        }

        int[] recorded = UploadCheckpointFiles.RecordedParts(fullKey);
        proxy.ClearRequestLines();
        using var rerun = SyncProcess.Start(environment, "up", temp.Combine("src"), remote);
        int exitCode = await rerun.WaitForExitAsync(TimeSpan.FromMinutes(2));
        return (recorded, exitCode, rerun.Stderr);
    }

    private static long WriteSource(TempDirectory temp, int parts)
    {
        long size = ((parts - 1) * (long)ToolPartSize) + 777;
        Directory.CreateDirectory(temp.Combine("src"));
        File.WriteAllBytes(temp.Combine("src", "model.bin"), RandomNumberGenerator.GetBytes((int)size));
        return size;
    }

    [Collection("ceph-rgw")]
    public sealed class OnCephRgw(CephRgw rgw) : IDisposable
    {
        private readonly TempDirectory _temp = new();

        private static Dictionary<string, string> Credentials => SyncProcess.AwsEnvironment(CephRgw.AccessKey, CephRgw.SecretKey);

        public void Dispose() => _temp.Dispose();

        [Fact]
        public async Task AKilledUpload_IsContinuedByTheRerun_SendingOnlyTheMissingParts()
        {
            const int Parts = 16;
            long size = WriteSource(_temp, Parts);
            await using var proxy = FaultProxy.PassThrough(rgw.Port);
            string prefix = $"resume-kill/{Guid.NewGuid():N}";
            string remote = $"s3://{IS3TestServer.DefaultBucket}/{prefix}?endpoint_override={proxy.Endpoint}&scheme=http";
            string fullKey = prefix + "/model.bin";

            var (recorded, exitCode, stderr) = await KillAndRerunAsync(_temp, Credentials, remote, fullKey, proxy);
            int[] sent = UploadCheckpointFiles.PartsSent(proxy);
            await new SyncEngine(((IS3TestServer)rgw).Registry).SyncAsync(StorageUri.Parse(((IS3TestServer)rgw).Location(prefix)), StorageUri.Parse(_temp.Combine("check")));

            Assert.Equal(0, exitCode);
            Assert.InRange(recorded.Length, 2, Parts - 1);
            Assert.Equal(Enumerable.Range(1, Parts).Except(recorded), sent);
            Assert.Contains("note: Resuming the upload of '", stderr, StringComparison.Ordinal);
            Assert.Contains($": {recorded.Length} parts ({recorded.Length * (long)ToolPartSize} of {size} bytes) are on the server already", stderr, StringComparison.Ordinal);
            Assert.Equal(TempDirectory.Snapshot(_temp.Combine("src")), TempDirectory.Snapshot(_temp.Combine("check")));
            Assert.Null(UploadCheckpointFiles.Find(fullKey));
        }
    }

    [Collection("azurite")]
    public sealed class OnAzurite(AzuriteServer azurite) : IDisposable
    {
        private readonly TempDirectory _temp = new();

        public void Dispose() => _temp.Dispose();

        [Fact]
        public async Task AKilledBlockUpload_IsContinuedByTheRerun_StagingOnlyTheMissingBlocks()
        {
            const int Blocks = 10;
            long size = WriteSource(_temp, Blocks);
            await using var proxy = FaultProxy.PassThrough(azurite.Port);
            string prefix = $"resume-kill/{Guid.NewGuid():N}";
            string remote = $"az://{AzuriteServer.Container}/{prefix}?endpoint=http://{proxy.Endpoint}/{AzuriteServer.Account}";
            var environment = new Dictionary<string, string> { ["AZURE_STORAGE_ACCOUNT"] = AzuriteServer.Account, ["AZURE_STORAGE_KEY"] = AzuriteServer.AccountKey };

            var (recorded, exitCode, stderr) = await KillAndRerunAsync(_temp, environment, remote, prefix + "/model.bin", proxy);
            int[] sent = UploadCheckpointFiles.BlocksSent(proxy);
            await new SyncEngine(azurite.Registry).SyncAsync(StorageUri.Parse(azurite.Location(prefix)), StorageUri.Parse(_temp.Combine("check")));

            Assert.Equal(0, exitCode);
            Assert.InRange(recorded.Length, 2, Blocks - 1);
            Assert.Equal(Enumerable.Range(1, Blocks).Except(recorded), sent);
            Assert.Contains($": {recorded.Length} blocks ({recorded.Length * (long)ToolPartSize} of {size} bytes) are staged already", stderr, StringComparison.Ordinal);
            Assert.Equal(TempDirectory.Snapshot(_temp.Combine("src")), TempDirectory.Snapshot(_temp.Combine("check")));
        }
    }
}
