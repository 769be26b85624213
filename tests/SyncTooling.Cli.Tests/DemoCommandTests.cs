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
}
