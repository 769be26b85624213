using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests.Reliability;

/// <summary>A file that fails is reported as failed, never as done, and the counters count transfers only.</summary>
public sealed class FailedFileOutputTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AFileThatFails_IsAFailedLine_InText_AndAFailedEvent_InJson()
    {
        // sub/a cannot be written: the destination's sub is a link out of the root, which the engine never writes through.
        _temp.Write("src/ok.txt", "ok");
        _temp.Write("src/sub/a", "1");
        Directory.CreateDirectory(_temp.Combine("other"));
        foreach (string destination in new[] { "text", "json" })
        {
            Directory.CreateDirectory(_temp.Combine(destination));
            Directory.CreateSymbolicLink(_temp.Combine(destination, "sub"), _temp.Combine("other"));
        }

        var text = await SyncRun.RunAsync("up", _temp.Combine("src"), _temp.Combine("text"), "-j", "1");
        var json = await SyncRun.RunAsync("up", _temp.Combine("src"), _temp.Combine("json"), "-j", "1", "--json");

        Assert.Equal(1, text.ExitCode);
        Assert.DoesNotContain(text.StdoutLines, l => l.StartsWith("done sub/a", StringComparison.Ordinal));
        Assert.Single(text.StdoutLines, l => l.StartsWith("failed sub/a: ", StringComparison.Ordinal));
        Assert.Contains("done ok.txt (1/2)", text.StdoutLines);
        Assert.StartsWith("Transferred 1 files (2 B), 0 unchanged, 0 deleted, 1 failed, 1 skipped in ", text.StdoutLines[^1], StringComparison.Ordinal);

        Assert.Equal(1, json.ExitCode);
        var events = json.JsonEvents();
        var files = events.Where(e => e.GetProperty("event").GetString() == "file").ToList();
        var failed = Assert.Single(events, e => e.GetProperty("event").GetString() == "failed");
        var file = Assert.Single(files);
        Assert.Equal(("ok.txt", 1, 2), (file.GetProperty("key").GetString(), file.GetProperty("filesDone").GetInt32(), file.GetProperty("filesTotal").GetInt32()));
        Assert.Equal(("sub/a", 1), (failed.GetProperty("key").GetString(), failed.GetProperty("filesFailed").GetInt32()));
        Assert.Equal(events[^1].GetProperty("failures")[0].GetProperty("message").GetString(), failed.GetProperty("message").GetString());
        Assert.Equal((1, 1), (events[^1].GetProperty("filesTransferred").GetInt32(), events[^1].GetProperty("failed").GetInt32()));
    }
}
