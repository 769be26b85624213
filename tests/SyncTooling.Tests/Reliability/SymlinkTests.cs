using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Reliability;

/// <summary>The one policy for symbolic links: never followed, on either side, so a sync never leaves its root.</summary>
public sealed class SymlinkTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly SyncEngine _engine = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SyncUp_SkipsLinksToFilesAndFoldersOutsideTheRoot()
    {
        _temp.Write("outside/secret.txt", "secret");
        _temp.Write("src/real.txt", "real");
        File.CreateSymbolicLink(_temp.Combine("src", "link.txt"), _temp.Combine("outside", "secret.txt"));
        Directory.CreateSymbolicLink(_temp.Combine("src", "linkdir"), _temp.Combine("outside"));

        var result = await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(_temp.Combine("remote")));

        Assert.Equal(["real.txt"], result.Transferred);
        Assert.Equal(["real.txt"], TempDirectory.Snapshot(_temp.Combine("remote")).Keys);
    }

    [Fact]
    public async Task SyncDown_NeverWritesThroughALinkedFolderInTheTarget()
    {
        _temp.Write("remote/sub/file.txt", "from remote");
        Directory.CreateDirectory(_temp.Combine("outside"));
        Directory.CreateDirectory(_temp.Combine("target"));
        Directory.CreateSymbolicLink(_temp.Combine("target", "sub"), _temp.Combine("outside"));

        var result = await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("remote")), StorageUri.Parse(_temp.Combine("target")));

        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Combine("outside")));
        var failure = Assert.Single(result.Failures);
        Assert.Equal("sub/file.txt", failure.Key);
        Assert.Equal($"'{_temp.Combine("target", "sub")}' is a symbolic link; links in the target are not followed, so nothing was written through it.", failure.Message);
    }

    [Fact]
    public async Task SyncDown_ReplacesALinkedFileInsteadOfWritingThroughIt()
    {
        _temp.Write("remote/file.txt", "from remote");
        _temp.Write("outside/victim.txt", "untouched");
        Directory.CreateDirectory(_temp.Combine("target"));
        File.CreateSymbolicLink(_temp.Combine("target", "file.txt"), _temp.Combine("outside", "victim.txt"));

        await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("remote")), StorageUri.Parse(_temp.Combine("target")));

        Assert.Equal("untouched", File.ReadAllText(_temp.Combine("outside", "victim.txt")));
        Assert.Equal("from remote", File.ReadAllText(_temp.Combine("target", "file.txt")));
        Assert.Null(new FileInfo(_temp.Combine("target", "file.txt")).LinkTarget);
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("local")]
    public async Task SyncDown_WhileAFolderOfTheTargetIsSwappedForALink_NeverWritesOutside_AndEachFileArrivesOrFailsClearly(string sourceKind)
    {
        const int Files = 1000;
        string source = sourceKind == "memory" ? $"memory://swap/{Guid.NewGuid():N}" : _temp.Combine("source");
        var files = Enumerable.Range(0, Files).ToDictionary(i => $"sub/f{i:0000}.txt", i => $"content {i}");
        await SeedAsync(source, files);
        string target = _temp.Combine("target");
        string sub = Path.Combine(target, "sub");
        string away = Path.Combine(target, "sub.away");
        string outside = _temp.Combine("outside");
        Directory.CreateDirectory(sub);
        Directory.CreateDirectory(outside);
        using var stop = new CancellationTokenSource();
        int swaps = 0;
        var attacker = Task.Run(() =>
        {
            // Rename the folder away, put a link to the outside in its place, then swap back; again and again.
            while (!stop.IsCancellationRequested)
            {
                if (TryIo(() => Directory.Move(sub, away)))
                {
                    if (TryIo(() => Directory.CreateSymbolicLink(sub, outside)))
                    {
                        Interlocked.Increment(ref swaps);
                        Thread.Yield();
                        TryIo(() => File.Delete(sub));
                    }

                    Restore(sub, away);
                }
            }
        });

        SyncResult result;
        try
        {
            result = await Task.Run(() => _engine.SyncAsync(StorageUri.Parse(source), StorageUri.Parse(target), new SyncOptions { Retries = 0 })).WaitAsync(TimeSpan.FromMinutes(3));
        }
        finally
        {
            await stop.CancelAsync();
            await attacker.WaitAsync(TimeSpan.FromMinutes(1));
            Restore(sub, away);
        }

        Assert.True(swaps > 0, "the folder was never swapped for a link during the sync");
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside, "*", SearchOption.AllDirectories));
        // Nothing outside the target, and every file that arrived is intact. While the folder is swapped the listings
        // can disagree, so not every key is accounted for as transferred or failed.
        Assert.All(result.Transferred.Concat(result.Failures.Select(f => f.Key)), key => Assert.Contains(key, files.Keys));
        Assert.All(result.Transferred, key => Assert.Equal(files[key], File.ReadAllText(Path.Combine(target, key))));
        // Open (RELIABILITY.md): the failure messages under this attack are not all of the clear kinds (a raw "Not a
        // directory" was seen), a failed commit check can leave its temp file inside the target, and a rerun right
        // after can race the restored folder; the test asserts only what must always hold.
    }

    private static async Task SeedAsync(string location, Dictionary<string, string> files)
    {
        using var seed = new TempDirectory();
        foreach (var (key, text) in files)
        {
            seed.Write(key, text);
        }

        await new SyncEngine().SyncAsync(StorageUri.Parse(seed.Path), StorageUri.Parse(location));
    }

    /// <summary>Puts the real folder back at <paramref name="sub"/>, merging in what the sync wrote to a folder it made meanwhile.</summary>
    private static void Restore(string sub, string away)
    {
        if (!Directory.Exists(away))
        {
            return;
        }

        if (new FileInfo(sub).LinkTarget is not null)
        {
            File.Delete(sub);
        }

        if (TryIo(() => Directory.Move(away, sub)))
        {
            return;
        }

        foreach (string file in Directory.EnumerateFiles(away))
        {
            TryIo(() => File.Move(file, Path.Combine(sub, Path.GetFileName(file)), overwrite: false));
        }

        TryIo(() => Directory.Delete(away));
    }

    private static bool TryIo(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
