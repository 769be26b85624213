using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests;

public sealed class UpDownCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Local => _temp.Combine("local");

    private string Remote => _temp.Combine("remote");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task UpThenDown_RestoresIdenticalFiles()
    {
        _temp.Write("local/a.txt", "alpha");
        _temp.Write("local/sub/b.bin", new string('b', 3000));
        string restore = _temp.Combine("restore");

        var up = await SyncRun.RunAsync("up", Local, Remote);
        var down = await SyncRun.RunAsync("down", Remote, restore);

        Assert.Equal((0, ""), (up.ExitCode, up.Stderr));
        Assert.Equal((0, ""), (down.ExitCode, down.Stderr));
        Assert.Equal(TempDirectory.Snapshot(Local), TempDirectory.Snapshot(restore));
        Assert.StartsWith("Transferred 2 files (2.9 KiB), 0 unchanged, 0 deleted, 0 failed in ", up.StdoutLines[^1]);
    }

    [Fact]
    public async Task Up_Redirected_PrintsPlainLinesWithoutControlCodes()
    {
        _temp.Write("local/a.txt", "alpha");

        var result = await SyncRun.RunAsync("up", Local, Remote);

        Assert.DoesNotContain('\u001b', result.Stdout);
        Assert.DoesNotContain('\r', result.Stdout);
        Assert.Equal($"up {Local} -> {Remote}", result.StdoutLines[0]);
        Assert.Equal("done a.txt (1/1)", result.StdoutLines[1]);
    }

    [Fact]
    public async Task Up_OnATerminal_DrawsAProgressLineInPlace()
    {
        _temp.Write("local/a.txt", "alpha");
        var console = new TestConsole(outputRedirected: false);

        var result = await SyncRun.RunAsync(console, ["up", Local, Remote]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\r\u001b[K1/1 files, 5 B/5 B, ", result.Stdout);
        Assert.Contains("/s, ETA ", result.Stdout);
    }

    [Fact]
    public async Task Up_Json_WritesEventsAndASummaryObject()
    {
        _temp.Write("local/a.txt", "alpha");
        _temp.Write("local/b.txt", "beta");
        _temp.Write("remote/b.txt", "beta");
        File.SetLastWriteTimeUtc(_temp.Combine("remote", "b.txt"), File.GetLastWriteTimeUtc(_temp.Combine("local", "b.txt")));
        _temp.Write("remote/old.txt", "old");

        var result = await SyncRun.RunAsync("up", Local, Remote, "--delete", "--json");

        Assert.Equal(0, result.ExitCode);
        var events = result.JsonEvents();
        Assert.Equal(["start", "file", "summary"], events.Select(e => e.GetProperty("event").GetString()));
        Assert.Equal("a.txt", events[1].GetProperty("key").GetString());
        var summary = events[^1];
        Assert.Equal(1, summary.GetProperty("filesTransferred").GetInt32());
        Assert.Equal(5, summary.GetProperty("bytesTransferred").GetInt64());
        Assert.Equal(1, summary.GetProperty("skipped").GetInt32());
        Assert.Equal(1, summary.GetProperty("deleted").GetInt32());
        Assert.Equal(0, summary.GetProperty("failed").GetInt32());
        Assert.True(summary.GetProperty("seconds").GetDouble() >= 0);
        Assert.False(File.Exists(_temp.Combine("remote", "old.txt")));
    }

    [Fact]
    public async Task Up_Unchanged_TransfersNothing()
    {
        _temp.Write("local/a.txt", "alpha");
        await SyncRun.RunAsync("up", Local, Remote);

        var again = await SyncRun.RunAsync("up", Local, Remote, "--json");

        var summary = again.JsonEvents()[^1];
        Assert.Equal((0, 1), (summary.GetProperty("filesTransferred").GetInt32(), summary.GetProperty("skipped").GetInt32()));
    }

    [Fact]
    public async Task Up_DryRun_ChangesNothingAndListsThePlan()
    {
        _temp.Write("local/a.txt", "alpha");
        _temp.Write("remote/old.txt", "old");

        var result = await SyncRun.RunAsync("up", Local, Remote, "--delete", "--dry-run");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["old.txt"], TempDirectory.Snapshot(Remote).Keys);
        Assert.Contains("would transfer a.txt", result.StdoutLines);
        Assert.Contains("would delete old.txt", result.StdoutLines);
    }

    [Fact]
    public async Task Up_Exclude_SkipsMatchingFilesAndFolders()
    {
        _temp.Write("local/keep.txt", "k");
        _temp.Write("local/x.tmp", "t");
        _temp.Write("local/cache/c.bin", "c");

        var result = await SyncRun.RunAsync("up", Local, Remote, "-x", "*.tmp", "--exclude", "cache/");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["keep.txt"], TempDirectory.Snapshot(Remote).Keys);
    }

    [Fact]
    public async Task Up_MaxDelete_RefusesBeforeChangingAnything()
    {
        _temp.Write("local/a.txt", "alpha");
        _temp.Write("remote/x.txt", "x");
        _temp.Write("remote/y.txt", "y");

        var result = await SyncRun.RunAsync("up", Local, Remote, "--delete", "--max-delete", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: Refusing to delete 2 files from '{Remote}': more than the limit of 1 (max-delete). Nothing was transferred or deleted.\n", result.Stderr);
        Assert.Equal(["x.txt", "y.txt"], TempDirectory.Snapshot(Remote).Keys);
    }

    [Fact]
    public async Task Quiet_PrintsNothingOnSuccess()
    {
        _temp.Write("local/a.txt", "alpha");

        var result = await SyncRun.RunAsync("up", Local, Remote, "-q");

        Assert.Equal((0, "", ""), (result.ExitCode, result.Stdout, result.Stderr));
        Assert.Single(TempDirectory.Snapshot(Remote));
    }
}
