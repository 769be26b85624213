using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Storage;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests.Reliability;

/// <summary>`sync delete` removes exactly what its dry run lists, and refuses a broad target without --force.</summary>
public sealed class DeleteTargetTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task LocalDryRun_ListsExactlyWhatTheRealRunRemoves_FilesFoldersAndLinks_WithoutFollowingLinks()
    {
        _temp.Write("target/a.txt", "a");
        _temp.Write("target/sub/b.txt", "b");
        _temp.Write("target/.synctmp-leftover", "partial");
        Directory.CreateDirectory(_temp.Combine("target", "sub", "deep", "empty"));
        _temp.Write("outside/secret.txt", "secret");
        _temp.Write("outside/dir/kept.txt", "kept");
        File.CreateSymbolicLink(_temp.Combine("target", "link-to-file"), _temp.Combine("outside", "secret.txt"));
        File.CreateSymbolicLink(_temp.Combine("target", "sub", "link-to-dir"), _temp.Combine("outside", "dir"));
        string target = _temp.Combine("target");
        var before = Entries(target);

        var dryRun = await SyncRun.RunAsync("delete", target, "--dry-run");
        var listed = dryRun.StdoutLines.Where(l => l.StartsWith("would delete ", StringComparison.Ordinal)).Select(l => l["would delete ".Length..]).ToList();
        Assert.Equal(before, Entries(target));
        var real = await SyncRun.RunAsync("delete", target);
        var gone = Directory.Exists(target) ? before.Except(Entries(target)).ToList() : before;

        Assert.Equal(0, dryRun.ExitCode);
        Assert.Equal(0, real.ExitCode);
        Assert.Equal(
            [".synctmp-leftover", "a.txt", "link-to-file", "sub/", "sub/b.txt", "sub/deep/", "sub/deep/empty/", "sub/link-to-dir"],
            listed);
        Assert.Equal(listed, gone);
        Assert.False(Directory.Exists(target));
        Assert.Equal(["dir/kept.txt", "secret.txt"], TempDirectory.Snapshot(_temp.Combine("outside")).Keys);
    }

    public static TheoryData<string, string> BroadTargets()
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var data = new TheoryData<string, string>
        {
            { "/", "the file system root" },
            { "~", "your home folder" },
            { home, "your home folder" },
            { ".", "the current folder" },
            { Path.GetDirectoryName(Environment.CurrentDirectory)!, "a folder that holds the current folder" },
            { "s3://some-bucket", "a whole bucket (no prefix)" },
            { "gs://some-bucket/", "a whole bucket (no prefix)" },
        };

        // As root, the home folder's parent is / itself (already a case).
        if (Path.GetDirectoryName(home) is { } parent && parent != "/")
        {
            data.Add(parent, "a folder that holds your home folder");
        }

        return data;
    }

    // Always with --dry-run: should the guard ever break, these tests list the tree instead of deleting it.
    [Theory]
    [MemberData(nameof(BroadTargets))]
    public async Task BroadTarget_IsRefused_NamingForce(string target, string what)
    {
        var result = await SyncRun.RunAsync("delete", target, "--dry-run");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: Refusing to delete everything below '{StorageUri.Parse(target)}': it is {what}. Nothing was changed; --force forces it.\n", result.Stderr);
        Assert.Empty(result.StdoutLines);
    }

    [Fact]
    public async Task AFolderBelowTheCurrentOne_IsNotBroad()
    {
        _temp.Write("target/a.txt", "a");

        var result = await SyncRun.RunAsync("delete", _temp.Combine("target"));

        Assert.Equal(0, result.ExitCode);
        Assert.False(Directory.Exists(_temp.Combine("target")));
    }

    /// <summary>Every entry below <paramref name="root"/> as the dry run names them, links as themselves (never followed).</summary>
    private static List<string> Entries(string root)
    {
        var result = new List<string>();
        void Walk(string folder)
        {
            foreach (string path in Directory.EnumerateFileSystemEntries(folder))
            {
                string relative = Path.GetRelativePath(root, path).Replace('\\', '/');
                bool realFolder = Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null;
                result.Add(realFolder ? relative + "/" : relative);
                if (realFolder)
                {
                    Walk(path);
                }
            }
        }

        Walk(root);
        result.Sort(StringComparer.Ordinal);
        return result;
    }
}
