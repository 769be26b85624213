using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests;

public sealed class DemoCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Demo_SyncsUpAndDownAndVerifies()
    {
        var result = await SyncRun.RunAsync("demo", "--dir", _temp.Path);

        Assert.Equal((0, ""), (result.ExitCode, result.Stderr));
        Assert.Contains("3. sync up again with no changes: transferred 0 files, 6 unchanged.", result.StdoutLines);
        Assert.Contains("5. Verified: the 6 restored files are identical to the source (SHA-256).", result.StdoutLines);
        var source = TempDirectory.Snapshot(_temp.Combine("source"));
        source.Remove("scratch.tmp");
        Assert.Equal(source, TempDirectory.Snapshot(_temp.Combine("restore")));
        Assert.False(File.Exists(_temp.Combine("remote", "scratch.tmp")));
    }

    [Fact]
    public async Task Demo_RunTwice_StartsFresh()
    {
        await SyncRun.RunAsync("demo", "--dir", _temp.Path);
        _temp.Write("remote/stray.txt", "left over from an earlier run");

        var result = await SyncRun.RunAsync("demo", "--dir", _temp.Path);

        Assert.Equal(0, result.ExitCode);
        Assert.False(File.Exists(_temp.Combine("remote", "stray.txt")));
    }

    [Fact]
    public async Task Demo_IntoADirWithAUserFileInRemote_IsRefused_AndChangesNothing()
    {
        _temp.Write("remote/own.txt", "mine");

        var result = await SyncRun.RunAsync("demo", "--dir", _temp.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal(
            $"error: --dir '{_temp.Path}' already has a non-empty 'remote' that no earlier demo wrote (no .synctooling-demo file there); " +
            "the demo replaces its source, remote and restore folders, so it refuses rather than delete your files. Nothing was changed; give an empty or new --dir.\n",
            result.Stderr);
        Assert.Equal("mine", File.ReadAllText(_temp.Combine("remote", "own.txt")));
        Assert.False(Directory.Exists(_temp.Combine("source")));
        Assert.False(File.Exists(_temp.Combine(".synctooling-demo")));
        Assert.False(Directory.Exists(_temp.Combine("restore")));
    }

    [Fact]
    public async Task Demo_IntoAnEarlierDemosDir_LeavesAMarker_AndReplacesItsFolders()
    {
        var first = await SyncRun.RunAsync("demo", "--dir", _temp.Path);
        bool marked = File.Exists(_temp.Combine(".synctooling-demo"));

        var second = await SyncRun.RunAsync("demo", "--dir", _temp.Path);

        Assert.Equal((0, 0, ""), (first.ExitCode, second.ExitCode, second.Stderr));
        Assert.True(marked);
        Assert.Contains("5. Verified: the 6 restored files are identical to the source (SHA-256).", second.StdoutLines);
    }

    [Fact]
    public async Task Demo_IntoTheFileSystemRoot_IsRefused_WithoutWriting()
    {
        string root = Path.GetPathRoot(_temp.Path)!;
        string[] written = [.. new[] { "source", "remote", "restore", ".synctooling-demo" }.Select(n => Path.Combine(root, n)).Where(p => !Path.Exists(p))];
        try
        {
            var result = await SyncRun.RunAsync("demo", "--dir", root, "--json");

            Assert.Equal(2, result.ExitCode);
            Assert.Equal(
                $"error: --dir '{root}' is a file-system root; the demo writes its folders only below a folder of its own. Nothing was changed; give e.g. --dir /tmp/sync-demo.\n",
                result.Stderr);
            Assert.Equal(["error"], result.JsonEvents().Select(e => e.GetProperty("event").GetString()));
            Assert.DoesNotContain(written, Path.Exists);
        }
        finally
        {
            // Should the check ever regress (the tests may run as root), take away what the demo wrote into the root.
            foreach (string path in written.Where(Path.Exists))
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }
                else
                {
                    File.Delete(path);
                }
            }
        }
    }
}
