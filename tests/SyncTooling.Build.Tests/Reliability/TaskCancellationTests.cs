using System.Security.Cryptography;
using SyncTooling.Build.Tests.Infrastructure;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Build.Tests.Reliability;

/// <summary>A build cancelled (ICancelableTask.Cancel) while SyncDown streams large files from s3rver.</summary>
[Collection("s3rver")]
public sealed class TaskCancellationTests(S3Server server) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SyncDown_CancelledMidFile_LeavesNoPartialOrTempFile_AndARerunIsByteExact()
    {
        Directory.CreateDirectory(_temp.Combine("src"));
        for (int i = 0; i < 4; i++)
        {
            File.WriteAllBytes(_temp.Combine("src", $"part{i}.bin"), RandomNumberGenerator.GetBytes(16 * 1024 * 1024));
        }

        var expected = TempDirectory.Snapshot(_temp.Combine("src"));
        string remote = server.Location($"task-cancel/{Guid.NewGuid():N}");
        await new SyncEngine(server.Registry).SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote));
        string target = _temp.Combine("target");
        var task = new SyncDown { RemoteDir = remote, LocalDir = target, Jobs = 2 };
        var log = TaskHarness.Attach(task);
        task.Registry = RegistryCancellingOnThirdFile(task);

        bool ok = await Task.Run(task.Execute).WaitAsync(TimeSpan.FromMinutes(2));
        var afterCancel = TempDirectory.Snapshot(target);
        var rerun = new SyncDown { RemoteDir = remote, LocalDir = target };
        TaskHarness.Attach(rerun);
        rerun.Registry = server.Registry;
        bool rerunOk = rerun.Execute();

        Assert.False(ok);
        Assert.Equal(["error SYNCB009: SyncDown was cancelled; files already transferred stay, no file is left half-written."], log.Log);
        Assert.True(afterCancel.Count < expected.Count, "the sync finished before the cancellation");
        Assert.All(afterCancel, f => Assert.Equal(expected[f.Key], f.Value));
        Assert.True(rerunOk);
        Assert.Equal(expected, TempDirectory.Snapshot(target));
    }

    private StorageRegistry RegistryCancellingOnThirdFile(SyncTaskBase task)
    {
        int writes = 0;
        return server.Registry.Register("file", uri => new InterceptedStorage(new FileStorage(uri), (_, _) =>
        {
            // Two files are streaming (Jobs = 2) when the third one starts: cancel the build then.
            if (Interlocked.Increment(ref writes) == 3)
            {
                task.Cancel();
            }

            return Task.CompletedTask;
        }));
    }
}
