using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests.Reliability;

/// <summary>Odd names through the tool: refused with a warning, or printed escaped; never a crash.</summary>
public sealed class OddKeyOutputTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Up_ALocalNameThatIsNotUtf8_IsAWarning_AndTheRestSyncs()
    {
        _temp.Write("local/ok.txt", "ok");
        RawFileName.Create(_temp.Combine("local"), [.. "bad"u8, 0xFF, .. ".txt"u8], [1]);

        var result = await SyncRun.RunAsync("up", _temp.Combine("local"), _temp.Combine("remote"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            $"warning: bad\uFFFD.txt: refused in '{_temp.Combine("local")}': the file name is not valid UTF-8 (shown with U+FFFD), so it cannot be read or stored under its own name; it was skipped.\n",
            result.Stderr);
        Assert.Equal(["ok.txt"], TempDirectory.Snapshot(_temp.Combine("remote")).Keys);
    }

    [Fact]
    public async Task LsAndDelete_PrintControlCharactersEscaped()
    {
        _temp.Write("remote/esc\u001b[2J.txt", "x");
        _temp.Write("remote/tab\t.txt", "y");

        var ls = await SyncRun.RunAsync("ls", _temp.Combine("remote"));
        var delete = await SyncRun.RunAsync("delete", _temp.Combine("remote"), "--dry-run");

        Assert.Equal(0, ls.ExitCode);
        Assert.EndsWith("  esc\\u001b[2J.txt", ls.StdoutLines[0], StringComparison.Ordinal);
        Assert.EndsWith("  tab\\u0009.txt", ls.StdoutLines[1], StringComparison.Ordinal);
        Assert.Equal(["would delete esc\\u001b[2J.txt", "would delete tab\\u0009.txt"], delete.StdoutLines.Take(2));
        Assert.DoesNotContain('\u001b', ls.Stdout + delete.Stdout);
    }
}
