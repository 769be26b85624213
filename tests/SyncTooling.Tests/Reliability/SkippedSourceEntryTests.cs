using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Reliability;

/// <summary>A source entry the listing skips (a link, a FIFO) still holds its key: its destination copy is never extraneous.</summary>
public sealed class SkippedSourceEntryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SyncUpWithDelete_KeepsWhatIsBelowALinkedFolderAndAtAFifo_AndStillDeletesARealExtraneousFile()
    {
        _temp.Write("real/big", "1");
        _temp.Write("s/top", "2");
        Directory.CreateSymbolicLink(_temp.Combine("s", "data"), _temp.Combine("real"));
        SpecialFiles.Fifo(_temp.Combine("s", "pipe"));
        _temp.Write("d/data/big", "backup");
        _temp.Write("d/data/sub/deeper", "backup too");
        _temp.Write("d/pipe", "a regular file where the source has a FIFO");
        _temp.Write("d/datafile", "extraneous: only shares a name prefix with the link");
        _temp.Write("d/gone", "extraneous");

        var result = await new SyncEngine().SyncAsync(StorageUri.Parse(_temp.Combine("s")), StorageUri.Parse(_temp.Combine("d")), new SyncOptions { Delete = true });

        Assert.Equal(["data/", "pipe"], result.Skipped.Select(s => s.Key));
        Assert.Equal(["datafile", "gone"], result.Deleted);
        Assert.Equal(3, result.ExtraneousKept);
        Assert.Equal(["data/big", "data/sub/deeper", "pipe", "top"], TempDirectory.Snapshot(_temp.Combine("d")).Keys);
        Assert.Equal("backup", File.ReadAllText(_temp.Combine("d", "data", "big")));
    }

    [Fact]
    public async Task DryRunWithDelete_CountsTheProtectedCopiesAsKept()
    {
        _temp.Write("real/big", "1");
        _temp.Write("s/top", "2");
        Directory.CreateSymbolicLink(_temp.Combine("s", "data"), _temp.Combine("real"));
        _temp.Write("d/data/big", "backup");
        _temp.Write("d/gone", "extraneous");

        var result = await new SyncEngine().SyncAsync(StorageUri.Parse(_temp.Combine("s")), StorageUri.Parse(_temp.Combine("d")), new SyncOptions { Delete = true, DryRun = true });

        Assert.Equal(["gone"], result.Deleted);
        Assert.Equal(1, result.ExtraneousKept);
    }
}
