using SyncTooling.Build.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Build.Tests.Reliability;

/// <summary>A link and a FIFO in LocalDir: SyncUp warns SYNCB014 for each, uploads the rest and succeeds.</summary>
public sealed class TaskSkippedEntryTests : IDisposable
{
    private readonly TempDirectory _local = new();
    private readonly string _remote = TaskHarness.NewMemoryLocation();

    public void Dispose() => _local.Dispose();

    [Fact]
    public async Task SyncUp_WarnsSyncb014ForALinkAndAFifo_AndUploadsTheRest()
    {
        string source = _local.Combine("src");
        _local.Write("src/real.txt", "real");
        File.CreateSymbolicLink(_local.Combine("src", "link.txt"), "/etc/hostname");
        SpecialFiles.Fifo(_local.Combine("src", "pipe"));
        var task = new SyncUp { LocalDir = source, RemoteDir = _remote };
        var log = TaskHarness.Attach(task);

        bool ok = await Task.Run(task.Execute).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(ok);
        Assert.Equal(
            [
                $"warning SYNCB014: 'link.txt' was skipped in '{source}': a symbolic link; links are not followed.",
                $"warning SYNCB014: 'pipe' was skipped in '{source}': a FIFO (named pipe); special files are never opened.",
            ],
            log.Log.Where(l => l.StartsWith("warning", StringComparison.Ordinal)));
        Assert.Equal(["real.txt"], TaskHarness.ReadAll(_remote).Keys);
    }
}
