using SyncTooling.Cli.Config;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests.Reliability;

/// <summary>
/// The bounded reader's timeout is for files that never end (a FIFO), not for a busy process: an ordinary file must be
/// read even while every thread-pool thread is held. CI once found the profile reader timing out on a four-line file
/// because its read was queued behind blocked pool threads. Runs alone, because it starves the pool on purpose.
/// </summary>
[Collection(ThreadPoolStarvationCollection.Name)]
public sealed class BoundedFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AnOrdinaryFile_IsRead_WhileEveryPoolThreadIsBusy()
    {
        string file = _temp.Write("credentials", "[default]\naws_secret_access_key = read-despite-a-busy-pool\n");
        using var release = new ManualResetEventSlim();
        Task[] blockers = [];
        byte[]? bytes = null;
        // From a thread outside the pool, as the tool's Main is, so the blocking work items and then the read all go to
        // the pool's global queue in order: far more blockers than pool threads, and the pool grows by about one
        // thread per half second, so a read queued behind them misses a 2 s timeout.
        var caller = new Thread(() =>
        {
            blockers = Enumerable.Range(0, 4 * Environment.ProcessorCount + 64)
                .Select(_ => Task.Run(() => release.Wait(TimeSpan.FromSeconds(60))))
                .ToArray();
            bytes = BoundedFile.TryReadStart(file, 4096, TimeSpan.FromSeconds(2));
        })
        {
            IsBackground = true,
        };
        try
        {
            caller.Start();
            Assert.True(caller.Join(TimeSpan.FromSeconds(30)), "the bounded read did not return");

            Assert.NotNull(bytes);
            Assert.Contains("read-despite-a-busy-pool", System.Text.Encoding.UTF8.GetString(bytes));
        }
        finally
        {
            release.Set();
            await Task.WhenAll(blockers).WaitAsync(TimeSpan.FromSeconds(90));
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadPoolStarvationCollection
{
    public const string Name = "thread-pool-starvation";
}
