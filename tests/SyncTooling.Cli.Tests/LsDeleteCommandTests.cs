using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests;

public sealed class LsDeleteCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public LsDeleteCommandTests()
    {
        _temp.Write("remote/a.txt", "alpha");
        _temp.Write("remote/sub/b.txt", "bb");
        File.SetLastWriteTimeUtc(_temp.Combine("remote", "a.txt"), new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        File.SetLastWriteTimeUtc(_temp.Combine("remote", "sub", "b.txt"), new DateTime(2026, 1, 2, 3, 4, 6, DateTimeKind.Utc));
    }

    private string Remote => _temp.Combine("remote");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Ls_ListsRecursivelyWithSizesAndTimes()
    {
        var result = await SyncRun.RunAsync("ls", Remote);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            ["5  2026-01-02 03:04:05  a.txt", "2  2026-01-02 03:04:06  sub/b.txt", "2 files, 7 B"],
            result.StdoutLines);
    }

    [Fact]
    public async Task Ls_Json_WritesOneObjectPerFileAndASummary()
    {
        var result = await SyncRun.RunAsync("ls", Remote, "--json");

        var events = result.JsonEvents();
        Assert.Equal(3, events.Count);
        Assert.Equal("sub/b.txt", events[1].GetProperty("key").GetString());
        Assert.Equal(2, events[1].GetProperty("size").GetInt64());
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 6, TimeSpan.Zero), events[1].GetProperty("lastModified").GetDateTimeOffset());
        Assert.Equal((2, 7), (events[2].GetProperty("files").GetInt32(), events[2].GetProperty("bytes").GetInt64()));
    }

    [Fact]
    public async Task Ls_MissingLocation_ExitsWithSourceNotFound()
    {
        var result = await SyncRun.RunAsync("ls", _temp.Combine("nope"));

        Assert.Equal(3, result.ExitCode);
        Assert.Equal($"error: '{_temp.Combine("nope")}' does not exist (on an object store: no object has this prefix); nothing was listed.\n", result.Stderr);
    }

    [Fact]
    public async Task Delete_DryRun_ListsWhatWouldGoAndKeepsIt()
    {
        var result = await SyncRun.RunAsync("delete", Remote, "--dry-run");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            ["would delete a.txt", "would delete sub/", "would delete sub/b.txt", $"Dry run: would delete 2 files and 1 folders from {Remote}. Nothing was changed."],
            result.StdoutLines);
        Assert.Equal(2, TempDirectory.Snapshot(Remote).Count);
    }

    [Fact]
    public async Task Delete_RemovesEverything()
    {
        var result = await SyncRun.RunAsync("delete", Remote, "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(3, result.JsonEvents()[^1].GetProperty("deleted").GetInt32());
        Assert.Empty(TempDirectory.Snapshot(Remote));
    }
}
