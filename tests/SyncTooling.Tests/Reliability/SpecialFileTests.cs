using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Reliability;

/// <summary>FIFOs, sockets and devices in a local tree: skipped with a warning, never opened, so a sync never hangs on one.</summary>
public sealed class SpecialFileTests : IDisposable
{
    // Generous: a hang is what these tests catch, and the machine is shared. Each call runs in Task.Run, so a call
    // that blocks in open() before its first await still ends the test at the bound.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("local")]
    [InlineData("memory")]
    public async Task SyncUp_SkipsAFifoASocketAndADevice_WithAWarningEach_AndTheRegularFilesArrive(string destinationKind)
    {
        string source = MakeTreeWithSpecialFiles();
        using var socket = SpecialFiles.Socket(_temp.Combine("src", "sub", "socket"));
        string destination = destinationKind == "local" ? _temp.Combine("remote") : $"memory://special/{Guid.NewGuid():N}";

        var result = await Task.Run(() => new SyncEngine().SyncAsync(StorageUri.Parse(source), StorageUri.Parse(destination))).WaitAsync(Bound);

        Assert.Equal(["real.txt", "sub/also.txt"], result.Transferred);
        Assert.Empty(result.Failures);
        Assert.Equal(
            [
                new SyncFailure("pipe", $"skipped in '{source}': a FIFO (named pipe); special files are never opened."),
                new SyncFailure("sub/null-device", $"skipped in '{source}': a character device; special files are never opened."),
                new SyncFailure("sub/socket", $"skipped in '{source}': a Unix socket; special files are never opened."),
            ],
            result.Skipped);
        Assert.Equal(["real.txt", "sub/also.txt"], (await new SyncEngine().ListAsync(StorageUri.Parse(destination))).Select(e => e.Key));
    }

    [Fact]
    public async Task SyncUp_OfAFileReplacedByAFifoAfterTheListing_FailsThatFilePromptly_AndTheOthersArrive()
    {
        _temp.Write("src/kept.txt", "kept");
        string swapped = _temp.Write("src/swapped.txt", "was a file at listing time");
        var registry = new StorageRegistry()
            .Register("file", uri => new AfterListing(new FileStorage(uri), () =>
            {
                File.Delete(swapped);
                SpecialFiles.Fifo(swapped);
            }))
            .Register("memory", uri => StorageRegistry.Default.Open(uri));
        string remote = $"memory://special/{Guid.NewGuid():N}";

        var result = await Task.Run(() => new SyncEngine(registry).SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote))).WaitAsync(Bound);

        Assert.Equal(["kept.txt"], result.Transferred);
        var failure = Assert.Single(result.Failures);
        Assert.Equal(new SyncFailure("swapped.txt", $"'{swapped}' is a FIFO (named pipe); special files are never opened, so it was not read."), failure);
    }

    [Fact]
    public async Task LocalCopy_FromAFifo_FailsPromptly_AndLeavesNoTempFile()
    {
        string fifo = _temp.Combine("pipe");
        SpecialFiles.Fifo(fifo);
        Directory.CreateDirectory(_temp.Combine("target"));
        var target = new FileStorage(StorageUri.Parse(_temp.Combine("target")));

        var error = await Assert.ThrowsAsync<StorageException>(() => Task.Run(() => target.CopyFromFileAsync(fifo, "copy.txt", new StorageEntry("pipe", 0, DateTimeOffset.UtcNow))).WaitAsync(Bound));

        Assert.Equal($"'{fifo}' is a FIFO (named pipe); special files are never opened, so it was not read.", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Combine("target")));
    }

    [Fact]
    public async Task OpenRead_OfAFileThatIsNowALink_IsRefused_InsteadOfReadingItsTarget()
    {
        _temp.Write("outside/secret.txt", "secret");
        Directory.CreateDirectory(_temp.Combine("src"));
        File.CreateSymbolicLink(_temp.Combine("src", "file.txt"), _temp.Combine("outside", "secret.txt"));
        var source = new FileStorage(StorageUri.Parse(_temp.Combine("src")));

        var error = await Assert.ThrowsAsync<StorageException>(() => Task.Run(() => source.OpenReadAsync("file.txt")).WaitAsync(Bound));

        Assert.Equal($"'{_temp.Combine("src", "file.txt")}' is a symbolic link; links are not followed, so it was not read.", error.Message);
    }

    private string MakeTreeWithSpecialFiles()
    {
        _temp.Write("src/real.txt", "real");
        _temp.Write("src/sub/also.txt", "also");
        SpecialFiles.Fifo(_temp.Combine("src", "pipe"));
        SpecialFiles.NullDevice(_temp.Combine("src", "sub", "null-device"));
        return _temp.Combine("src");
    }

    /// <summary>A local source that runs <paramref name="afterListing"/> once its listing is done: a tree changing under the sync.</summary>
    private sealed class AfterListing(IStorage inner, Action afterListing) : IStorage
    {
        public StorageUri Location => inner.Location;

        public StorageCapabilities Capabilities => inner.Capabilities;

        public async IAsyncEnumerable<StorageEntry> ListAsync(Func<string, bool>? shouldDescend = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var entry in inner.ListAsync(shouldDescend, cancellationToken))
            {
                yield return entry;
            }

            afterListing();
        }

        public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(key, cancellationToken);

        public Task WriteAsync(string key, Stream content, long length, DateTimeOffset lastModified, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(key, content, length, lastModified, cancellationToken);

        public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) => inner.DeleteAsync(keys, cancellationToken);

        public Task DeleteAllAsync(CancellationToken cancellationToken = default) => inner.DeleteAllAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
