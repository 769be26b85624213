using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Storage;

public sealed class FileStorageTests : StorageConformanceTests, IDisposable
{
    private readonly TempDirectory _temp = new();

    protected override IStorage CreateStorage()
    {
        string root = _temp.Combine(Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return new FileStorage(StorageUri.Parse(root));
    }

    protected override IStorage CreateStorageWithMissingRoot() =>
        new FileStorage(StorageUri.Parse(_temp.Combine("missing", Guid.NewGuid().ToString("N"))));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Listing_AFolderRemovedWhileTheTreeIsListed_IsSkipped_SoNothingBelowItLooksExtraneous()
    {
        await using var storage = (FileStorage)CreateStorage();
        string root = storage.Location.Path;
        File.WriteAllText(Path.Combine(root, "a.txt"), "a");
        Directory.CreateDirectory(Path.Combine(root, "gone"));
        File.WriteAllText(Path.Combine(root, "gone", "x.txt"), "x");
        File.WriteAllText(Path.Combine(root, "z.txt"), "z");

        // The folder is accepted for descent, then removed before it is read (as a rename by another process would).
        var keys = new List<string>();
        await foreach (var entry in storage.ListAsync(folder =>
        {
            if (folder == "gone/")
            {
                Directory.Delete(Path.Combine(root, "gone"), recursive: true);
            }

            return true;
        }))
        {
            keys.Add(entry.Key);
        }

        Assert.Equal(["a.txt", "z.txt"], keys);
        var skipped = Assert.Single(storage.Skipped);
        Assert.Equal("gone/", skipped.Key);
        Assert.Contains("removed or renamed while it was listed", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_SkipsLeftoverTempFiles_AndSymlinks()
    {
        await using var storage = CreateStorage();
        string root = storage.Location.Path;
        File.WriteAllText(Path.Combine(root, "real.txt"), "r");
        File.WriteAllText(Path.Combine(root, FileStorage.TempPrefix + "0123456789ab"), "half a file");
        File.CreateSymbolicLink(Path.Combine(root, "link-to-outside"), "/etc/hostname");
        Directory.CreateSymbolicLink(Path.Combine(root, "dirlink"), "/etc");

        var keys = (await ListAsync(storage)).Select(e => e.Key);

        Assert.Equal(["real.txt"], keys);
        Assert.Equal(
            [new SkippedEntry("dirlink/", "a symbolic link; links are not followed"), new SkippedEntry("link-to-outside", "a symbolic link; links are not followed")],
            ((FileStorage)storage).Skipped);
    }

    [Fact]
    public async Task Listing_DoesNotDescendIntoRejectedDirectories()
    {
        await using var storage = CreateStorage();
        string root = storage.Location.Path;
        Directory.CreateDirectory(Path.Combine(root, "keep"));
        Directory.CreateDirectory(Path.Combine(root, "skip", "deeper"));
        File.WriteAllText(Path.Combine(root, "keep", "a.txt"), "a");
        File.WriteAllText(Path.Combine(root, "skip", "deeper", "b.txt"), "b");
        var asked = new List<string>();

        var entries = new List<StorageEntry>();
        await foreach (var e in storage.ListAsync(d =>
        {
            lock (asked)
            {
                asked.Add(d);
            }

            return d != "skip/";
        }))
        {
            entries.Add(e);
        }

        Assert.Equal(["keep/a.txt"], entries.Select(e => e.Key));
        Assert.DoesNotContain("skip/deeper/", asked);
    }

    [Fact]
    public async Task Delete_RemovesDirectoriesLeftEmpty()
    {
        await using var storage = CreateStorage();
        await WriteTextAsync(storage, "a/b/c.txt", "c", DateTimeOffset.UtcNow);

        await storage.DeleteAsync(["a/b/c.txt"]);

        Assert.Empty(Directory.EnumerateFileSystemEntries(storage.Location.Path));
    }
}
