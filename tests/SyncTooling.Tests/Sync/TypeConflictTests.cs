using SyncTooling.Storage;
using SyncTooling.Storage.Memory;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Sync;

/// <summary>
/// A file where the destination has a folder, or a folder where it has a file. Deletes wait for a run without failures,
/// so the entry in the way was never deleted and every rerun failed the same way; with --delete it now goes first.
/// </summary>
public sealed class TypeConflictTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly SyncEngine _engine = new();

    public void Dispose() => _temp.Dispose();

    private StorageUri Uri(string name) => StorageUri.Parse(_temp.Combine(name));

    private void Arrange()
    {
        _temp.Write("src/x", "file x");
        _temp.Write("src/y/z/f", "deep file");
        _temp.Write("src/keep.txt", "kept");
        _temp.Write("dst/x/inner", "old folder content");
        _temp.Write("dst/x/deeper/more", "old folder content");
        _temp.Write("dst/y", "old file y");
        _temp.Write("dst/other-extraneous.txt", "goes with --delete");
    }

    [Fact]
    public async Task WithDelete_TheEntriesInTheWay_GoFirst_AndOneRunConverges()
    {
        Arrange();

        var reports = new Reports();
        var result = await _engine.SyncAsync(Uri("src"), Uri("dst"), new SyncOptions { Delete = true }, reports);

        Assert.Empty(result.Failures);
        // The first attempts' failures were held back, not shown: the files went through after the deletes.
        Assert.DoesNotContain(reports.All, r => r.FilesFailed > 0 || r.LastKeyError is not null);
        Assert.Equal(3, reports.All[^1].FilesDone);
        Assert.Equal(["keep.txt", "x", "y/z/f"], result.Transferred.Order(StringComparer.Ordinal));
        Assert.Equal(["other-extraneous.txt", "x/deeper/more", "x/inner", "y"], result.Deleted.Order(StringComparer.Ordinal));
        Assert.Equal(0, result.ExtraneousKept);
        Assert.Equal(TempDirectory.Snapshot(_temp.Combine("src")), TempDirectory.Snapshot(_temp.Combine("dst")));

        var again = await _engine.SyncAsync(Uri("src"), Uri("dst"), new SyncOptions { Delete = true });
        Assert.Empty(again.Failures);
        Assert.Empty(again.Transferred);
        Assert.Empty(again.Deleted);
    }

    [Fact]
    public async Task WithoutDelete_NothingIsDeleted_AndTheConflictsAreFailures()
    {
        Arrange();
        var before = TempDirectory.Snapshot(_temp.Combine("dst"));

        var result = await _engine.SyncAsync(Uri("src"), Uri("dst"));

        Assert.Equal(["x", "y/z/f"], result.Failures.Select(f => f.Key).Order(StringComparer.Ordinal));
        Assert.All(result.Failures, f => Assert.Contains("--delete", f.Message, StringComparison.Ordinal));
        Assert.Empty(result.Deleted);
        Assert.Equal("old folder content", File.ReadAllText(_temp.Combine("dst/x/inner")));
        Assert.Equal("old file y", File.ReadAllText(_temp.Combine("dst/y")));
        Assert.Equal(before.Count + 1, TempDirectory.Snapshot(_temp.Combine("dst")).Count); // keep.txt only
    }

    [Fact]
    public async Task ADryRun_ChangesNothing()
    {
        Arrange();
        var before = TempDirectory.Snapshot(_temp.Combine("dst"));

        var result = await _engine.SyncAsync(Uri("src"), Uri("dst"), new SyncOptions { Delete = true, DryRun = true });

        Assert.True(result.DryRun);
        Assert.Equal(before, TempDirectory.Snapshot(_temp.Combine("dst")));
    }

    [Fact]
    public async Task AnEmptyFolderInTheWay_OrOneOfEmptyFolders_GoesWithDelete()
    {
        // Folders without files are never listed, so no listed entry stands in the way (found by the adversarial pass).
        _temp.Write("src/x", "file x");
        _temp.Write("src/y", "file y");
        Directory.CreateDirectory(_temp.Combine("dst/x"));
        Directory.CreateDirectory(_temp.Combine("dst/y/sub/empty"));
        _temp.Write("dst/y/a", "extraneous");

        var kept = await _engine.SyncAsync(Uri("src"), Uri("dst"));
        var result = await _engine.SyncAsync(Uri("src"), Uri("dst"), new SyncOptions { Delete = true });

        Assert.Equal(["x", "y"], kept.Failures.Select(f => f.Key).Order(StringComparer.Ordinal));
        Assert.Empty(result.Failures);
        Assert.Equal(["y/a"], result.Deleted);
        Assert.Equal("file x", File.ReadAllText(_temp.Combine("dst/x")));
        Assert.Equal("file y", File.ReadAllText(_temp.Combine("dst/y")));
    }

    [Fact]
    public async Task AFolderInTheWayHoldingAnExcludedFile_OrALink_StaysAndSaysWhy()
    {
        _temp.Write("src/x", "file x");
        _temp.Write("src/w", "file w");
        _temp.Write("dst/x/keep.tmp", "excluded: never deleted");
        _temp.Write("outside/target.txt", "outside");
        Directory.CreateDirectory(_temp.Combine("dst/w"));
        File.CreateSymbolicLink(_temp.Combine("dst/w/link"), _temp.Combine("outside/target.txt"));

        var result = await _engine.SyncAsync(Uri("src"), Uri("dst"), new SyncOptions { Delete = true, Exclude = ["*.tmp"] });

        Assert.Equal(["w", "x"], result.Failures.Select(f => f.Key).Order(StringComparer.Ordinal));
        Assert.All(result.Failures, f => Assert.Contains("delete did not replace it", f.Message, StringComparison.Ordinal));
        Assert.Equal("excluded: never deleted", File.ReadAllText(_temp.Combine("dst/x/keep.tmp")));
        Assert.True(File.Exists(_temp.Combine("dst/w/link")));
        Assert.Equal("outside", File.ReadAllText(_temp.Combine("outside/target.txt")));
    }

    [Fact]
    public async Task AKeyTheSourceRefused_ProtectsTheSameKeyInTheDestination()
    {
        // "k" is both a file and a folder in the object store: refused. The destination's file "k" is the source's
        // still, so it is not deleted to make way for "k/a" (found by the adversarial pass: it was).
        string bucket = await BucketHoldingAFileAndAFolderOfOneNameAsync();

        _temp.Write("dst/k", "the destination's k");

        var result = await _engine.SyncAsync(StorageUri.Parse(bucket), Uri("dst"), new SyncOptions { Delete = true });

        Assert.Equal(["k"], result.Refused.Select(f => f.Key));
        Assert.Equal(["k/a"], result.Failures.Select(f => f.Key));
        Assert.Empty(result.Deleted);
        Assert.Equal("the destination's k", File.ReadAllText(_temp.Combine("dst/k")));
    }

    [Fact]
    public async Task AnObjectStoreHoldingAFileAndAFolderOfOneName_TheFileIsRefused_AndTheRestConverges()
    {
        // An object store may hold "k" and "k/a" at once; a folder cannot. "k" is refused, never written over "k/".
        string bucket = await BucketHoldingAFileAndAFolderOfOneNameAsync();

        _temp.Write("dst/k/b", "extraneous below k");

        var result = await _engine.SyncAsync(StorageUri.Parse(bucket), Uri("dst"), new SyncOptions { Delete = true });

        Assert.Equal(["k"], result.Refused.Select(f => f.Key));
        Assert.Empty(result.Failures);
        Assert.Equal(["k/a"], result.Transferred);
        Assert.Equal(["k/b"], result.Deleted);
        Assert.Equal("file k/a", File.ReadAllText(_temp.Combine("dst/k/a")));

        var again = await _engine.SyncAsync(StorageUri.Parse(bucket), Uri("dst"), new SyncOptions { Delete = true });
        Assert.Empty(again.Transferred);
        Assert.Empty(again.Deleted);
    }

    /// <summary>A memory:// location holding "k" and "k/a": possible in an object store, not in a folder.</summary>
    private static async Task<string> BucketHoldingAFileAndAFolderOfOneNameAsync()
    {
        string bucket = $"memory://conflict/{Guid.NewGuid():N}";
        await using var store = new MemoryStorage(StorageUri.Parse(bucket));
        foreach (var (key, text) in new[] { ("k", "file k"), ("k/a", "file k/a") })
        {
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text);
            await store.WriteAsync(key, new MemoryStream(bytes), bytes.Length, DateTimeOffset.UtcNow);
        }

        return bucket;
    }

    private sealed class Reports : IProgress<SyncProgress>
    {
        public List<SyncProgress> All { get; } = [];

        public void Report(SyncProgress value)
        {
            lock (All)
            {
                All.Add(value);
            }
        }
    }
}
