using SyncTooling.Build.Tests.Infrastructure;

namespace SyncTooling.Build.Tests;

public sealed class SyncDeleteTests
{
    private readonly string _remote = TaskHarness.NewMemoryLocation();

    [Fact]
    public void SyncDelete_RemovesEverythingBelowRemoteDir()
    {
        TaskHarness.Seed(_remote, ("a.txt", "1"), ("sub/b.txt", "2"));
        var task = new SyncDelete { RemoteDir = _remote };
        var engine = TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.True(ok);
        Assert.Equal([$"High: SyncDelete {_remote}: deleted 2 files", "Low:   deleted a.txt", "Low:   deleted sub/b.txt"], engine.Log);
        Assert.Equal(2, task.DeletedCount);
        Assert.Empty(TaskHarness.ReadAll(_remote));
    }

    [Fact]
    public void SyncDelete_DryRun_ListsAndKeepsEverything()
    {
        TaskHarness.Seed(_remote, ("a.txt", "1"));
        var task = new SyncDelete { RemoteDir = _remote, DryRun = true };
        var engine = TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.True(ok);
        Assert.Equal([$"High: SyncDelete {_remote} (dry run, nothing changed): would delete 1 files", "Low:   would delete a.txt"], engine.Log);
        Assert.Equal(["a.txt"], task.DeletedFiles.Select(i => i.ItemSpec));
        Assert.Equal(["a.txt"], TaskHarness.ReadAll(_remote).Keys);
    }

    [Fact]
    public void SyncDelete_UnsupportedScheme_FailsWithSync001()
    {
        var task = new SyncDelete { RemoteDir = "ftp://example.com/x" };
        var engine = TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.False(ok);
        Assert.StartsWith("error SYNC001: RemoteDir: ", Assert.Single(engine.Log), StringComparison.Ordinal);
    }

    [Fact]
    public void SyncDelete_OfTheFileSystemRoot_FailsWithSyncb006_NamingForce()
    {
        // DryRun: should the guard ever break, this lists instead of deleting.
        var task = new SyncDelete { RemoteDir = "/", DryRun = true };
        var engine = TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.False(ok);
        Assert.Equal(["error SYNCB006: Refusing to delete everything below '/': it is the file system root. Nothing was changed; Force=\"true\" forces it."], engine.Log);
    }

    [Fact]
    public void SyncDelete_OfAWholeStore_NeedsForce()
    {
        string store = $"memory://{Guid.NewGuid():N}";
        TaskHarness.Seed(store, ("a.txt", "1"));
        var refused = new SyncDelete { RemoteDir = store };
        TaskHarness.Attach(refused);
        var forced = new SyncDelete { RemoteDir = store, Force = true };
        TaskHarness.Attach(forced);

        Assert.False(refused.Execute());
        Assert.Equal(["a.txt"], TaskHarness.ReadAll(store).Keys);
        Assert.True(forced.Execute());
        Assert.Empty(TaskHarness.ReadAll(store));
    }
}
