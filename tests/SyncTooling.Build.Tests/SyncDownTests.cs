using SyncTooling.Build.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Build.Tests;

public sealed class SyncDownTests : IDisposable
{
    private readonly TempDirectory _local = new();
    private readonly string _remote = TaskHarness.NewMemoryLocation();

    public void Dispose() => _local.Dispose();

    [Fact]
    public void SyncDown_FetchesIntoANewFolder_AndOutputsLocalPaths()
    {
        TaskHarness.Seed(_remote, ("model/weights.bin", "0123456789"), ("notes.tmp", "skip"));
        string target = _local.Combine("data");
        var task = new SyncDown { RemoteDir = _remote, LocalDir = target, Exclude = [new Microsoft.Build.Utilities.TaskItem("*.tmp")] };
        var engine = TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.True(ok);
        Assert.Equal(
            [
                $"High: SyncDown {_remote} -> {target}: 1 transferred (10 bytes), 0 deleted, 0 unchanged, 0 failed in 0.00 s",
                "Low:   model/weights.bin (10 bytes)",
            ],
            engine.Log);
        Assert.Equal("0123456789", File.ReadAllText(Path.Combine(target, "model", "weights.bin")));
        Assert.Equal([Path.Combine(target, "model", "weights.bin")], task.TransferredFiles.Select(i => i.ItemSpec));
        Assert.False(File.Exists(Path.Combine(target, "notes.tmp")));
    }

    [Fact]
    public void SyncDown_MissingRemote_FailsWithSyncb002_AndLeavesLocalFilesAlone()
    {
        _local.Write("keep.txt", "mine");
        var task = new SyncDown { RemoteDir = _remote, LocalDir = _local.Path, Delete = true };
        var engine = TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.False(ok);
        var line = Assert.Single(engine.Log);
        Assert.StartsWith($"error SYNCB002: Source '{_remote}' has no files", line, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(_local.Combine("keep.txt")));
    }

    [Fact]
    public void SyncDown_LocalDirThatIsARemoteLocation_FailsWithSyncb003()
    {
        var task = new SyncDown { RemoteDir = _remote, LocalDir = "memory://elsewhere/x" };
        var engine = TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.False(ok);
        Assert.Equal(
            ["error SYNCB003: LocalDir 'memory://elsewhere/x' is not a local directory; pass a path (relative paths resolve against the project folder)."],
            engine.Log);
    }
}
