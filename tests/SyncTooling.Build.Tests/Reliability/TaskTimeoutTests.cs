using System.Diagnostics;
using SyncTooling.Build.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Build.Tests.Reliability;

/// <summary>The tasks end within SyncTimeout against a stalling server, and Retries bounds the requests sent.</summary>
public sealed class TaskTimeoutTests : IDisposable
{
    // Far above SyncTimeout = 3: the machine is loaded, but a hang still fails here instead of hanging the build.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("never-accepting")]
    [InlineData("endless-listing")]
    public async Task SyncDelete_AgainstAStallingServer_StopsAtSyncTimeout_WithSyncb010SayingWhichItWas(string kind)
    {
        await using var server = StallingServers.Start(kind);
        var task = new SyncDelete { RemoteDir = server.LocationWithCredentials("run"), SyncTimeout = 3 };
        var log = TaskHarness.Attach(task);
        task.TimeProvider = TimeProvider.System;
        var clock = Stopwatch.StartNew();

        bool ok = await Task.Run(task.Execute).WaitAsync(Bound);

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.9), Bound);
        Assert.False(ok);
        string error = Assert.Single(log.Log, l => l.StartsWith("error ", StringComparison.Ordinal));
        Assert.StartsWith("error SYNCB010: SyncDelete did not finish within SyncTimeout (3 s) and was stopped: ", error, StringComparison.Ordinal);
        Assert.Matches(StallingServers.Message(kind, server), error);
        Assert.Equal(0, server.Count(r => r.Method is "POST" or "DELETE"));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 3)]
    public async Task SyncUp_Retries_IsTheNumberOfPutsSentMinusOne(int retries, int requests)
    {
        _temp.Write("local/a.txt", "alpha");
        await using var server = HostileS3Server.Start(r => r.IsList ? r.RespondListAsync([]) : r.RespondErrorAsync(500, "InternalError"));
        var task = new SyncUp { LocalDir = _temp.Combine("local"), RemoteDir = server.LocationWithCredentials("run"), Retries = retries };
        var log = TaskHarness.Attach(task);
        task.TimeProvider = TimeProvider.System;

        bool ok = await Task.Run(task.Execute).WaitAsync(Bound);

        Assert.False(ok);
        Assert.Contains(log.Log, l => l.StartsWith("error SYNCB005: Could not transfer 'a.txt': S3 answered InternalError (500)", StringComparison.Ordinal));
        Assert.Equal(requests, server.Count(r => r.IsPut));
    }
}
