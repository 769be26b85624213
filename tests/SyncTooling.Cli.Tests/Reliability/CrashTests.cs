using System.Security.Cryptography;
using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests.Reliability;

/// <summary>
/// The `sync` tool killed with SIGKILL mid-sync (no handler runs): no partial file at a final path, no partial
/// object on the remote, and a rerun that ignores the leftovers and ends byte-exact.
/// </summary>
public static class CrashTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    private static Dictionary<string, string> Credentials => SyncProcess.AwsEnvironment(S3Server.AccessKey, S3Server.SecretKey);

    /// <summary>Final files only: the .synctmp-* leftovers of a killed process are not part of the tree.</summary>
    private static SortedDictionary<string, string> FinalFiles(string root) =>
        new(TempDirectory.Snapshot(root).Where(f => !Path.GetFileName(f.Key).StartsWith(FileStorage.TempPrefix, StringComparison.Ordinal)).ToDictionary(), StringComparer.Ordinal);

    private static void WriteRandomFiles(TempDirectory temp, string folder, int count, int size)
    {
        for (int i = 0; i < count; i++)
        {
            string path = temp.Combine(folder, $"d{i % 10}", $"f{i}.bin");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(size));
        }
    }

    private static void AssertEveryFinalFileIsComplete(SortedDictionary<string, string> expected, string root)
    {
        var finals = FinalFiles(root);
        Assert.All(finals, f => Assert.Equal(expected[f.Key], f.Value));
        Assert.True(finals.Count < expected.Count, "the kill landed after the sync had finished");
    }

    [Collection("s3rver")]
    public sealed class SigkillDuringSyncDown(S3Server server) : IDisposable
    {
        private readonly TempDirectory _temp = new();

        public void Dispose() => _temp.Dispose();

        [Fact]
        public Task LargeFiles_LeaveNoPartialFile_AndTheRerunCompletes() => KillAndRerunAsync(count: 6, size: 16 * 1024 * 1024, killAfter: 1);

        [Fact]
        public Task ManySmallFiles_LeaveNoPartialFile_AndTheRerunCompletes() => KillAndRerunAsync(count: 1500, size: 700, killAfter: 200);

        private async Task KillAndRerunAsync(int count, int size, int killAfter)
        {
            WriteRandomFiles(_temp, "src", count, size);
            string remote = server.Location($"crash/{Guid.NewGuid():N}");
            await new SyncEngine(server.Registry).SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote), new SyncOptions { Jobs = 16 });
            var expected = TempDirectory.Snapshot(_temp.Combine("src"));
            string target = _temp.Combine("target");

            using (var child = SyncProcess.Start(Credentials, "down", remote, target, "-j", "2"))
            {
                Assert.True(await child.WaitUntilAsync(() => child.FilesDone >= killAfter, Bound), "the child never got going: " + child.Stderr);
                await child.KillAsync();
            }

            AssertEveryFinalFileIsComplete(expected, target);
            var rerun = await SyncRun.RunAsync(new TestConsole(), ["down", remote, target, "--delete", "-q"], registry: server.Registry);

            Assert.Equal((0, string.Empty), (rerun.ExitCode, rerun.Stderr));
            Assert.Equal(expected, FinalFiles(target));
        }
    }

    [Collection("s3rver")]
    public sealed class SigkillDuringSyncUp(S3Server server) : IDisposable
    {
        private readonly TempDirectory _temp = new();

        public void Dispose() => _temp.Dispose();

        [Fact]
        public async Task MultipartUploads_LeaveNoPartialObject_AndTheRerunLeavesTheRemoteByteExact()
        {
            WriteRandomFiles(_temp, "src", count: 5, size: 20 * 1024 * 1024);
            var expected = TempDirectory.Snapshot(_temp.Combine("src"));
            string remote = server.Location($"crash/{Guid.NewGuid():N}");
            var engine = new SyncEngine(server.Registry);

            using (var child = SyncProcess.Start(Credentials, "up", _temp.Combine("src"), remote, "-j", "2"))
            {
                Assert.True(await child.WaitUntilAsync(() => child.FilesDone >= 1, Bound), "the child never got going: " + child.Stderr);
                await child.KillAsync();
            }

            await engine.SyncAsync(StorageUri.Parse(remote), StorageUri.Parse(_temp.Combine("after-kill")));
            AssertEveryFinalFileIsComplete(expected, _temp.Combine("after-kill"));
            var rerun = await SyncRun.RunAsync(new TestConsole(), ["up", _temp.Combine("src"), remote, "-q"], registry: server.Registry);
            await engine.SyncAsync(StorageUri.Parse(remote), StorageUri.Parse(_temp.Combine("after-rerun")));

            Assert.Equal((0, string.Empty), (rerun.ExitCode, rerun.Stderr));
            Assert.Equal(expected, TempDirectory.Snapshot(_temp.Combine("after-rerun")));
        }
    }
}
