using Microsoft.Extensions.Time.Testing;
using TaskItem = Microsoft.Build.Utilities.TaskItem;
using SyncTooling.Build.Tests.Infrastructure;
using SyncTooling.Storage;
using SyncTooling.Storage.Memory;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Build.Tests;

public sealed class SyncUpTests : IDisposable
{
    private readonly TempDirectory _local = new();
    private readonly string _remote = TaskHarness.NewMemoryLocation();

    public SyncUpTests()
    {
        _local.Write("a.txt", "hello");
        _local.Write("sub/b.txt", "world!");
        _local.Write("sub/c.tmp", "scratch");
    }

    public void Dispose() => _local.Dispose();

    [Fact]
    public void SyncUp_UploadsTree_AndLogsOneSummaryLineAndFileLinesAtLowImportance()
    {
        var task = new SyncUp { LocalDir = _local.Path, RemoteDir = _remote, Exclude = [new TaskItem("*.tmp")] };
        var engine = TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.True(ok);
        Assert.Equal(
            [
                $"High: SyncUp {_local.Path} -> {_remote}: 2 transferred (11 bytes), 0 deleted, 0 unchanged, 0 failed in 0.00 s",
                "Low:   a.txt (5 bytes)",
                "Low:   sub/b.txt (6 bytes)",
            ],
            engine.Log);
        Assert.Equal(new SortedDictionary<string, string> { ["a.txt"] = "hello", ["sub/b.txt"] = "world!" }, TaskHarness.ReadAll(_remote));
        Assert.Equal(2, task.TransferredCount);
        Assert.Equal(11, task.BytesTransferred);
        Assert.Equal([_local.Combine("a.txt"), _local.Combine("sub", "b.txt")], task.TransferredFiles.Select(i => i.ItemSpec));
        Assert.Equal(["a.txt", "sub/b.txt"], task.TransferredFiles.Select(i => i.GetMetadata("Key")));
    }

    [Fact]
    public void SyncUp_WithShards_UploadsEachKeyInExactlyOneShard()
    {
        var counts = new List<int>();
        for (int k = 1; k <= 3; k++)
        {
            var task = new SyncUp { LocalDir = _local.Path, RemoteDir = _remote, Shard = $"{k}/3" };
            TaskHarness.Attach(task);

            Assert.True(task.Execute());
            counts.Add(task.TransferredCount);
            Assert.All(task.TransferredFiles, i => Assert.Equal(k, SyncTooling.Sync.SyncShard.Of(i.GetMetadata("Key"), 3)));
        }

        Assert.Equal(3, counts.Sum());
        Assert.Equal(3, TaskHarness.ReadAll(_remote).Count);
    }

    [Fact]
    public void SyncUp_SkipsUnchangedFiles()
    {
        var first = new SyncUp { LocalDir = _local.Path, RemoteDir = _remote };
        TaskHarness.Attach(first);
        Assert.True(first.Execute());
        var second = new SyncUp { LocalDir = _local.Path, RemoteDir = _remote };
        var engine = TaskHarness.Attach(second);

        bool ok = second.Execute();

        Assert.True(ok);
        Assert.Equal([$"High: SyncUp {_local.Path} -> {_remote}: 0 transferred (0 bytes), 0 deleted, 3 unchanged, 0 failed in 0.00 s"], engine.Log);
        Assert.Equal(0, second.TransferredCount);
        Assert.Empty(second.TransferredFiles);
    }

    [Fact]
    public void SyncUp_DryRun_ListsWhatWouldChange_AndUploadsNothing()
    {
        TaskHarness.Seed(_remote, ("old.txt", "stale"));
        var task = new SyncUp { LocalDir = _local.Path, RemoteDir = _remote, DryRun = true, Delete = true, Exclude = [new TaskItem("*.tmp")] };
        var engine = TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.True(ok);
        Assert.Equal(
            [
                $"High: SyncUp {_local.Path} -> {_remote} (dry run, nothing changed): would transfer 2 (11 bytes), would delete 1, 0 unchanged",
                "Low:   a.txt (5 bytes)",
                "Low:   sub/b.txt (6 bytes)",
                "Low:   would delete old.txt",
            ],
            engine.Log);
        Assert.Equal(new SortedDictionary<string, string> { ["old.txt"] = "stale" }, TaskHarness.ReadAll(_remote));
    }

    [Fact]
    public void SyncUp_Delete_RemovesExtraneousRemoteFiles()
    {
        TaskHarness.Seed(_remote, ("old.txt", "stale"));
        var task = new SyncUp { LocalDir = _local.Path, RemoteDir = _remote, Delete = true, Exclude = [new TaskItem("*.tmp")] };
        var engine = TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.True(ok);
        Assert.Contains("Low:   deleted old.txt", engine.Log);
        Assert.Equal(["old.txt"], task.DeletedFiles.Select(i => i.ItemSpec));
        Assert.Equal(["a.txt", "sub/b.txt"], TaskHarness.ReadAll(_remote).Keys);
    }

    [Fact]
    public void SyncUp_UnsupportedScheme_FailsWithSync001_BeforeAnyTransfer()
    {
        var task = new SyncUp { LocalDir = _local.Path, RemoteDir = "ftp://example.com/out" };
        var engine = TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.False(ok);
        var line = Assert.Single(engine.Log);
        Assert.StartsWith("error SYNC001: RemoteDir: ", line, StringComparison.Ordinal);
        Assert.Contains("ftp", line, StringComparison.Ordinal);
        Assert.Equal(0, task.TransferredCount);
    }

    [Fact]
    public void SyncUp_RelativeRemoteDir_FailsWithSync001_AndCreatesNothing()
    {
        using var project = new TempDirectory();
        var task = new SyncUp { LocalDir = _local.Path, RemoteDir = "relative/remote" };
        var engine = TaskHarness.Attach(task, projectFile: project.Combine("app.csproj"));

        bool ok = task.Execute();

        Assert.False(ok);
        Assert.StartsWith("error SYNC001: RemoteDir: 'relative/remote' is a relative path", Assert.Single(engine.Log), StringComparison.Ordinal);
        Assert.False(Directory.Exists(project.Combine("relative")));
        Assert.False(Directory.Exists(Path.Combine(Directory.GetCurrentDirectory(), "relative", "remote")));
    }

    [Fact]
    public void SyncUp_InvalidBucketName_FailsWithSync008()
    {
        var task = new SyncUp { LocalDir = _local.Path, RemoteDir = "s3://Bad_Bucket/x" };
        var engine = TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.False(ok);
        Assert.StartsWith("error SYNC008: RemoteDir: 'Bad_Bucket' is not a valid bucket name", Assert.Single(engine.Log), StringComparison.Ordinal);
    }

    [Fact]
    public void SyncUp_SchemeWithoutBackend_FailsWithSyncb004()
    {
        // Every scheme of the grammar has a backend in the default build now; a build without hdfs:// is simulated.
        var task = new SyncUp
        {
            LocalDir = _local.Path,
            RemoteDir = "hdfs://namenode:9870/out",
            Registry = new StorageRegistry().Register("file", uri => new SyncTooling.Storage.File.FileStorage(uri)).Register("memory", uri => new MemoryStorage(uri)),
        };
        var engine = TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.False(ok);
        Assert.Equal(
            ["error SYNCB004: RemoteDir 'hdfs://namenode:9870/out' uses hdfs://, which has no storage backend in this build; use s3://, gs://, hdfs://, file://, memory:// or a local path."],
            engine.Log);
    }

    [Fact]
    public void SyncUp_MissingLocalDir_FailsWithSyncb001()
    {
        string missing = _local.Combine("nope");
        var task = new SyncUp { LocalDir = missing, RemoteDir = _remote };
        var engine = TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.False(ok);
        Assert.Equal([$"error SYNCB001: LocalDir '{missing}' does not exist; nothing was transferred."], engine.Log);
        Assert.Empty(TaskHarness.ReadAll(_remote));
    }

    [Fact]
    public void SyncUp_RelativeLocalDir_ResolvesAgainstTheCurrentDirectory_WhichMSBuildSetsToTheProjectFolder()
    {
        var task = new SyncUp { LocalDir = "sub", RemoteDir = _remote, CurrentDirectory = () => _local.Path };
        TaskHarness.Attach(task, projectFile: "/somewhere/else/SyncTooling.Build.targets");

        bool ok = task.Execute();

        Assert.True(ok);
        Assert.Equal(["b.txt", "c.tmp"], TaskHarness.ReadAll(_remote).Keys);
    }

    [Fact]
    public void SyncUp_BadExcludePattern_WarnsWithSync009_AndStillSyncs()
    {
        var task = new SyncUp { LocalDir = _local.Path, RemoteDir = _remote, Exclude = [new TaskItem("/a.txt"), new TaskItem("*.tmp")] };
        var engine = TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.True(ok);
        Assert.Equal(
            "warning SYNC009: Exclude pattern '/a.txt': patterns match paths relative to the sync root, which never start with '/'. Patterns use fnmatch syntax: *, ?, [seq], [!seq].",
            engine.Log[0]);
        Assert.StartsWith("High: SyncUp ", engine.Log[1], StringComparison.Ordinal);
        Assert.Equal(["a.txt", "sub/b.txt"], TaskHarness.ReadAll(_remote).Keys);
    }

    [Fact]
    public void SyncUp_OutOfRangeOptions_FailWithTheirCodes_BeforeAnyTransfer()
    {
        var task = new SyncUp { LocalDir = _local.Path, RemoteDir = _remote, Jobs = 0, Retries = 101, MaxDelete = -1, SyncTimeout = 0 };
        var engine = TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.False(ok);
        Assert.Equal(
            [
                // The parameters every task has (SyncTaskBase) first, then those of SyncUp and SyncDown.
                "error SYNCB008: Retries is 101; it must be between 0 and 100.",
                "error SYNC005: SyncTimeout is 00:00:00; it must be greater than zero.",
                "error SYNCB008: Jobs is 0; it must be between 1 and 256.",
                "error SYNCB008: MaxDelete is -1; it must be between 0 and 2147483647.",
            ],
            engine.Log);
        Assert.Empty(TaskHarness.ReadAll(_remote));
    }

    [Fact]
    public void SyncUp_MaxDeleteExceeded_FailsWithSyncb006_AndChangesNothing()
    {
        TaskHarness.Seed(_remote, ("old1.txt", "x"), ("old2.txt", "y"));
        var task = new SyncUp { LocalDir = _local.Path, RemoteDir = _remote, Delete = true, MaxDelete = 1 };
        var engine = TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.False(ok);
        Assert.Equal(
            [$"error SYNCB006: Refusing to delete 2 files from '{_remote}': more than the limit of 1 (max-delete). Nothing was transferred or deleted."],
            engine.Log);
        Assert.Equal(["old1.txt", "old2.txt"], TaskHarness.ReadAll(_remote).Keys);
    }

    [Fact]
    public async Task SyncUp_Cancel_StopsTheSyncCleanly_WithSyncb009()
    {
        var writeStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = new SyncUp { LocalDir = _local.Path, RemoteDir = _remote, Jobs = 1 };
        var engine = TaskHarness.Attach(task);
        task.Registry = BlockingRegistry(writeStarted);

        var running = Task.Run(task.Execute);
        await writeStarted.Task;
        task.Cancel();
        bool ok = await running;

        Assert.False(ok);
        Assert.Equal(["error SYNCB009: SyncUp was cancelled; files already transferred stay, no file is left half-written."], engine.Log);
        Assert.Empty(TaskHarness.ReadAll(_remote));
    }

    [Fact]
    public async Task SyncUp_LongerThanSyncTimeout_IsStoppedWithSyncb010()
    {
        var writeStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = new FakeTimeProvider();
        var task = new SyncUp { LocalDir = _local.Path, RemoteDir = _remote, Jobs = 1, SyncTimeout = 60 };
        var engine = TaskHarness.Attach(task, clock);
        task.Registry = BlockingRegistry(writeStarted);

        var running = Task.Run(task.Execute);
        await writeStarted.Task;
        clock.Advance(TimeSpan.FromSeconds(61));
        bool ok = await running;

        Assert.False(ok);
        Assert.Equal(["error SYNCB010: SyncUp did not finish within SyncTimeout (60 s) and was stopped; files already transferred stay, no file is left half-written."], engine.Log);
    }

    [Fact]
    public void SyncUp_AFileThatFails_IsAnErrorWithSyncb005_AndTheOthersStillUpload()
    {
        var task = new SyncUp { LocalDir = _local.Path, RemoteDir = _remote, Exclude = [new TaskItem("*.tmp")] };
        var engine = TaskHarness.Attach(task);
        task.Registry = InterceptedRegistry((key, _) =>
            key == "sub/b.txt" ? throw new StorageException(StorageErrorKind.Permanent, "Access denied.") : Task.CompletedTask);

        bool ok = task.Execute();

        Assert.False(ok);
        Assert.Equal(
            [
                $"High: SyncUp {_local.Path} -> {_remote}: 1 transferred (5 bytes), 0 deleted, 0 unchanged, 1 failed in 0.00 s",
                "Low:   a.txt (5 bytes)",
                "error SYNCB005: Could not transfer 'sub/b.txt': Access denied.",
            ],
            engine.Log);
        Assert.Equal(["a.txt"], TaskHarness.ReadAll(_remote).Keys);
    }

    private static StorageRegistry BlockingRegistry(TaskCompletionSource writeStarted) => InterceptedRegistry(async (_, ct) =>
    {
        writeStarted.TrySetResult();
        await Task.Delay(Timeout.Infinite, ct);
    });

    private static StorageRegistry InterceptedRegistry(Func<string, CancellationToken, Task> beforeWrite) => new StorageRegistry()
        .Register("file", uri => StorageRegistry.Default.Open(uri))
        .Register("memory", uri => new InterceptedStorage(new MemoryStorage(uri), beforeWrite));

    [Fact]
    public void SyncUp_FromAnEmptyLocalDir_WithDelete_FailsWithSyncb006_AndDeletesNothing()
    {
        using var empty = new TempDirectory();
        TaskHarness.Seed(_remote, ("keep.txt", "precious"));
        var task = new SyncUp { LocalDir = empty.Path, RemoteDir = _remote, Delete = true };
        var engine = TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.False(ok);
        Assert.Equal(
            [$"error SYNCB006: Source '{empty.Path}' is empty (a mount that is not there?), so mirroring it would delete all 1 files in '{_remote}'. Nothing was changed; AllowEmptySource=\"true\" forces it."],
            engine.Log);
        Assert.Equal(["keep.txt"], TaskHarness.ReadAll(_remote).Keys);
    }

    [Fact]
    public void SyncUp_FromAnEmptyLocalDir_WithAllowEmptySource_EmptiesTheRemote()
    {
        using var empty = new TempDirectory();
        TaskHarness.Seed(_remote, ("keep.txt", "precious"));
        var task = new SyncUp { LocalDir = empty.Path, RemoteDir = _remote, Delete = true, AllowEmptySource = true };
        TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.True(ok);
        Assert.Equal(1, task.DeletedCount);
        Assert.Empty(TaskHarness.ReadAll(_remote));
    }
}
