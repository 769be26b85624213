using System.Diagnostics;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Storage.S3;

/// <summary>The Ceph RGW fixture is bounded in time and leaves nothing behind.</summary>
public sealed class CephRgwFixtureTests
{
    [Fact]
    public async Task StartUpPastItsTimeout_FailsWithTheDaemonsLogTail_StopsThem_AndDisposeLeavesNothing()
    {
        var rgw = new CephRgw(TimeSpan.FromSeconds(20), withoutOsd: true); // long enough for the gateway to start on a loaded machine

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(rgw.InitializeAsync);
        var stoppedAtOnce = rgw.StartedIds.Where(IsRunning).ToList();
        string folder = rgw.Folder;
        await rgw.DisposeAsync();
        var started = rgw.StartedIds;

        Assert.StartsWith("Ceph RGW did not start within 20 s\n--- ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--- client.rgw.log (last 15 lines)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--- mon.a.log (last 15 lines)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, started.Count); // the monitor and the gateway
        Assert.Empty(stoppedAtOnce); // killed by the failed start-up, not only by dispose
        Assert.All(started, id => Assert.False(IsRunning(id), $"daemon {id} still runs"));
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Watchdog_KillsTheDaemons_OnceTheTestHostIsGone()
    {
        using var owner = Process.Start("sleep", "1");
        using var daemon = Process.Start("sleep", "120");
        using var folder = new TempDirectory();

        using var watchdog = CephRgw.StartWatchdog(owner.Id, [daemon.Id], folder.Path);
        bool killed = daemon.WaitForExit(TimeSpan.FromSeconds(30));
        if (!killed)
        {
            daemon.Kill(); // the test's own process: never leave it behind
        }

        await watchdog.WaitForExitAsync();

        Assert.True(killed, "the watchdog did not kill the daemon within 30 s of its owner's exit");
        Assert.False(Directory.Exists(folder.Path));
    }

    private static bool IsRunning(int id)
    {
        try
        {
            using var process = Process.GetProcessById(id);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
