using TaskItem = Microsoft.Build.Utilities.TaskItem;
using SyncTooling.Build.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Build.Tests;

/// <summary>Issue 15 in the tasks: Include beside Exclude, the comparison switches, memory:// and scheme aliases refused.</summary>
public sealed class TaskConventionsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public TaskConventionsTests()
    {
        _temp.Write("local/a.csv", "a");
        _temp.Write("local/data/b.csv", "b");
        _temp.Write("local/data/c.txt", "c");
    }

    private string Local => _temp.Combine("local");

    private string Remote => _temp.Combine("remote");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Include_WinsOverEveryExclude()
    {
        var task = new SyncUp { LocalDir = Local, RemoteDir = Remote, Exclude = [new TaskItem("*")], Include = [new TaskItem("*.csv")] };
        TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.True(ok);
        Assert.Equal(["a.csv", "data/b.csv"], TempDirectory.Snapshot(Remote).Keys);
    }

    [Fact]
    public void SizeOnly_LeavesASameSizeFileWithANewerSourceAlone()
    {
        _temp.Write("remote/a.csv", "z");
        File.SetLastWriteTimeUtc(Path.Combine(Remote, "a.csv"), new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var task = new SyncUp { LocalDir = Local, RemoteDir = Remote, SizeOnly = true };
        TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.True(ok);
        Assert.Equal("z", File.ReadAllText(Path.Combine(Remote, "a.csv")));
        Assert.Equal(2, task.TransferredCount);
    }

    [Fact]
    public void TwoComparisons_AreRefusedWithSyncb016()
    {
        var task = new SyncDown { LocalDir = Local, RemoteDir = Remote, Checksum = true, ExactTimestamps = true };
        var log = TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.False(ok);
        Assert.Equal(["error SYNCB016: Checksum, SizeOnly and ExactTimestamps each choose how files are compared; set at most one of them to true."], log.Log);
    }

    [Fact]
    public void AMemoryRemoteDir_IsRefusedWithSyncb015_AndNothingIsRead()
    {
        var task = new SyncUp { LocalDir = Local, RemoteDir = "memory://build/x" };
        var log = TaskHarness.Attach(task);
        task.AllowMemoryStores = false;

        bool ok = task.Execute();

        Assert.False(ok);
        Assert.Equal(["error SYNCB015: RemoteDir 'memory://build/x' is a memory:// store, which lives inside one build process only: what the task wrote there would be gone when the build ends; use s3://, gs://, az://, hdfs://, file:// or a local path."], log.Log);
        Assert.Equal(0, task.TransferredCount);
    }

    [Fact]
    public void ASchemeAlias_IsRefusedWithTheSchemeToWrite()
    {
        var task = new SyncDelete { RemoteDir = "s3n://bucket/x" };
        var log = TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.False(ok);
        Assert.Equal(["error SYNC001: RemoteDir: 's3n://bucket/x' is not a supported storage location: 's3n://' is another tool's name for s3://; write 's3://'. Supported: a local path, file:///path, memory://name/path, s3://bucket/prefix, gs://bucket/prefix, hdfs://host:port/path, az://container/prefix, abfs[s]://container@account.dfs.core.windows.net/prefix."], log.Log);
    }

    [Fact]
    public void TheSummary_IsLoggedAtHighImportance()
    {
        var task = new SyncUp { LocalDir = Local, RemoteDir = Remote, DryRun = true };
        var log = TaskHarness.Attach(task);

        Assert.True(task.Execute());

        Assert.StartsWith($"High: SyncUp {Local} -> {Remote}", log.Log[0], StringComparison.Ordinal);
    }
}
