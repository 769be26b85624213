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
}
