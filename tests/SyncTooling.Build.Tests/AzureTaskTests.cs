using SyncTooling.Build.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Build.Tests;

/// <summary>The SyncUp and SyncDown tasks with an az:// RemoteDir, against Azurite.</summary>
[Collection("azurite")]
public sealed class AzureTaskTests(AzuriteServer server) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void SyncUp_ThenSyncDown_RoundTripThroughAzure_WithOneSummaryLineEach()
    {
        _temp.Write("local/a.txt", "hello");
        _temp.Write("local/sub/b.txt", "world!");
        string remote = server.Location($"build/{Guid.NewGuid():N}");
        string shown = SyncTooling.Storage.StorageUri.Parse(remote).ToString();
        var up = new SyncUp { LocalDir = _temp.Combine("local"), RemoteDir = remote, Registry = server.Registry };
        var upLog = TaskHarness.Attach(up);
        var down = new SyncDown { LocalDir = _temp.Combine("down"), RemoteDir = remote, Registry = server.Registry };
        var downLog = TaskHarness.Attach(down);

        bool uploaded = up.Execute();
        bool downloaded = down.Execute();

        Assert.True(uploaded);
        Assert.True(downloaded);
        Assert.Equal($"High: SyncUp {_temp.Combine("local")} -> {shown}: 2 transferred (11 bytes), 0 deleted, 0 unchanged, 0 failed in 0.00 s", upLog.Log[0]);
        Assert.Equal($"High: SyncDown {shown} -> {_temp.Combine("down")}: 2 transferred (11 bytes), 0 deleted, 0 unchanged, 0 failed in 0.00 s", downLog.Log[0]);
        Assert.Equal(TempDirectory.Snapshot(_temp.Combine("local")), TempDirectory.Snapshot(_temp.Combine("down")));
    }

    [Fact]
    public void SyncUp_ToAnInvalidContainerName_FailsWithSync008_BeforeAnythingIsRead()
    {
        _temp.Write("local/a.txt", "hello");
        var task = new SyncUp { LocalDir = _temp.Combine("local"), RemoteDir = "az://Bad_Container/x", Registry = server.Registry };
        var engine = TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.False(ok);
        Assert.Equal(["error SYNC008: RemoteDir: 'Bad_Container' is not a valid container name: container names use only lower-case letters, digits and '-'."], engine.Log);
    }
}
