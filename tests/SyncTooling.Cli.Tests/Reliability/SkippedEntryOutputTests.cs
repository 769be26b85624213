using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests.Reliability;

/// <summary>What the tool shows for local entries that are not regular files: a warning each, in text and JSON.</summary>
public sealed class SkippedEntryOutputTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ALinkAndAFifoInTheSource_AreWarnings_InTextAndJson_AndTheSyncSucceeds()
    {
        string source = _temp.Combine("src");
        _temp.Write("src/real.txt", "real");
        _temp.Write("outside/secret.txt", "secret");
        File.CreateSymbolicLink(_temp.Combine("src", "link.txt"), _temp.Combine("outside", "secret.txt"));
        SpecialFiles.Fifo(_temp.Combine("src", "pipe"));

        var text = await Task.Run(() => SyncRun.RunAsync("up", source, _temp.Combine("text"))).WaitAsync(TimeSpan.FromMinutes(1));
        var json = await Task.Run(() => SyncRun.RunAsync("up", source, _temp.Combine("json"), "--json")).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(0, text.ExitCode);
        Assert.Equal(
            $"warning: link.txt: skipped in '{source}': a symbolic link; links are not followed.\n" +
            $"warning: pipe: skipped in '{source}': a FIFO (named pipe); special files are never opened.\n",
            text.Stderr);
        Assert.Contains(", 2 skipped in ", text.StdoutLines[^1], StringComparison.Ordinal);
        Assert.Equal(0, json.ExitCode);
        var skipped = json.JsonEvents()[^1].GetProperty("skippedEntries").EnumerateArray().ToList();
        Assert.Equal(["link.txt", "pipe"], skipped.Select(e => e.GetProperty("key").GetString()));
        Assert.Equal($"skipped in '{source}': a FIFO (named pipe); special files are never opened.", skipped[1].GetProperty("message").GetString());
        Assert.Equal(["real.txt"], TempDirectory.Snapshot(_temp.Combine("text")).Keys);
    }
}
