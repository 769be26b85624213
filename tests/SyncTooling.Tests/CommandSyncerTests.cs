using System.Diagnostics;
using SyncTooling.Commands;
using SyncTooling.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SyncTooling.Tests;

public sealed class CommandSyncerTests(ITestOutputHelper output) : IDisposable
{
    // A name that a shell would split, expand and run: it must arrive as one argument.
    private const string Nasty = "run 1; echo pwned > x 'q' \"dq\" $(id) `id` *";

    private const string RsyncUp = "rsync -a {options} {source}/ {target}/";
    private const string CpUp = "cp -R {source}/. {target}";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Source()
    {
        _temp.Write($"{Nasty}/a.txt", "a");
        _temp.Write($"{Nasty}/sub dir/b 'q'.txt", "b");
        _temp.Write($"{Nasty}/scratch.tmp", "tmp");
        _temp.Write($"{Nasty}/cache/big.bin", "cache");
        return _temp.Combine(Nasty);
    }

    private string UpTemplate()
    {
        if (RsyncTool.Available)
        {
            return RsyncUp;
        }

        output.WriteLine(RsyncTool.FallbackMessage);
        return CpUp;
    }

    [Fact]
    public async Task PathsWithSpacesAndShellMetacharacters_RoundTrip()
    {
        string source = Source();
        string remote = _temp.Combine("remote", Nasty);
        string restored = _temp.Combine("restored", Nasty);
        string up = UpTemplate();
        Directory.CreateDirectory(_temp.Combine("remote")); // rsync makes only the last folder of a target
        using var syncer = new CommandSyncer(up, up, "rm -rf {target}");

        await syncer.SyncUpAsync(source, remote);
        await syncer.SyncDownAsync(remote, restored);

        Assert.Equal(TempDirectory.Snapshot(source), TempDirectory.Snapshot(restored));
        Assert.False(File.Exists(Path.Combine(_temp.Path, "x")));
        Assert.False(File.Exists("x"));
    }

    [Fact]
    public async Task CpTemplate_RoundTrips()
    {
        string source = Source();
        string remote = _temp.Combine("cp-remote");
        using var syncer = new CommandSyncer(CpUp, CpUp, "rm -rf {target}");

        await syncer.SyncUpAsync(source, remote);
        await syncer.DeleteAsync(remote);
        bool deleted = !Directory.Exists(remote);
        await syncer.SyncUpAsync(source, remote);

        Assert.True(deleted);
        Assert.Equal(TempDirectory.Snapshot(source), TempDirectory.Snapshot(remote));
    }

    [Fact]
    public async Task Excludes_AreHonoured()
    {
        string source = Source();
        string remote = _temp.Combine("remote");
        if (!RsyncTool.Available)
        {
            // Without rsync, prove at least that the patterns reach the tool as single arguments.
            output.WriteLine(RsyncTool.FallbackMessage);
            using var recorder = new CommandSyncer("sh -c 'mkdir -p \"$0\" && printf \"%s\\n\" \"$@\" > \"$0/argv\"' {target} {options} {source}", "true {source} {target}", "true {target}");
            await recorder.SyncUpAsync(source, remote, ["*.tmp", "cache/"]);
            Assert.Equal(["--exclude=*.tmp", "--exclude=cache/", source], File.ReadAllLines(Path.Combine(remote, "argv")));
            return;
        }

        using var syncer = new CommandSyncer(RsyncUp, RsyncUp, "rm -rf {target}");

        await syncer.SyncUpAsync(source, remote, ["*.tmp", "cache/"]);

        Assert.Equal(["a.txt", "sub dir/b 'q'.txt"], TempDirectory.Snapshot(remote).Keys);
    }

    [Theory]
    [InlineData(CommandExcludeStyle.Rsync, new[] { "--exclude=*.tmp", "--exclude=a b/" })]
    [InlineData(CommandExcludeStyle.AwsCli, new[] { "--exclude", "*.tmp", "--exclude", "a b/" })]
    [InlineData(CommandExcludeStyle.Rclone, new[] { "--exclude", "*.tmp", "--exclude", "a b/" })]
    public void Excludes_AreRenderedPerTool(CommandExcludeStyle style, string[] expected)
    {
        Assert.Equal(expected, CommandSyncer.RenderExcludes(["*.tmp", "a b/"], style));
    }

    [Fact]
    public async Task FailingCommand_ReportsCommandExitCodeAndStderr_WithSecretsRedacted()
    {
        string source = Source();
        using var syncer = new CommandSyncer(
            "sh -c 'echo \"early noise\" >&2; echo \"cannot reach $1\" >&2; exit 7' sh {target} {source}",
            "true {source} {target}",
            "true {target}");

        var ex = await Assert.ThrowsAsync<SyncException>(() => syncer.SyncUpAsync(source, "s3://bucket/run?secret_key=hunter2"));

        Assert.Equal(
            $"The sync up command failed with exit code 7: sh -c 'echo \"early noise\" >&2; echo \"cannot reach $1\" >&2; exit 7' sh 's3://bucket/run?secret_key=***' '{source.Replace("'", "'\\''", StringComparison.Ordinal)}'. Last lines of stderr:{Environment.NewLine}early noise{Environment.NewLine}cannot reach s3://bucket/run?secret_key=***",
            ex.Message);
        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingProgram_SaysSo()
    {
        using var syncer = new CommandSyncer("no-such-sync-tool-xyz {source} {target}", "true {source} {target}", "true {target}");

        var ex = await Assert.ThrowsAsync<SyncException>(() => syncer.SyncUpAsync(_temp.Path, "/nowhere"));

        Assert.StartsWith("The sync up command could not start: no-such-sync-tool-xyz ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("Is 'no-such-sync-tool-xyz' installed and on PATH?", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhileACommandRuns_SyncUpReturnsFalse()
    {
        string marker = _temp.Combine("started");
        using var syncer = new CommandSyncer("sh -c 'touch \"$0\"; exec sleep 60' " + marker + " {source} {target}", "true {source} {target}", "true {target}");

        bool first = syncer.SyncUp(_temp.Path, "/remote");
        await WaitForFileAsync(marker);
        bool second = syncer.SyncUp(_temp.Path, "/remote");

        Assert.True(first);
        Assert.False(second);
    }

    [Fact]
    public async Task Cancellation_KillsTheProcessAndItsChildren()
    {
        string pids = _temp.Combine("pids");
        using var syncer = new CommandSyncer("sh -c 'sleep 60 & echo $$ $! > \"$0.tmp\"; mv \"$0.tmp\" \"$0\"; wait' " + pids + " {source} {target}", "true {source} {target}", "true {target}");
        using var cts = new CancellationTokenSource();

        var sync = syncer.SyncUpAsync(_temp.Path, "/remote", cancellationToken: cts.Token);
        await WaitForFileAsync(pids);
        int[] started = File.ReadAllText(pids).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sync);
        Assert.Equal(2, started.Length);
        Assert.All(started, pid => Assert.True(HasExited(pid), $"process {pid} is still running"));
    }

    [Theory]
    [InlineData("rsync {source}", "needs a {target} placeholder")]
    [InlineData("rsync {options}x {source} {target}", "{options} must be an argument of its own")]
    [InlineData("rsync {src} {source} {target}", "unknown placeholder {src}")]
    [InlineData("rsync 'open {source} {target}", "unclosed single quote")]
    [InlineData("{source} {target}", "must start with a program name")]
    public void BadTemplates_AreRefusedAtConstruction(string template, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => new CommandSyncer(template, RsyncUp, "rm -rf {target}"));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Template_SplitsOnceAndSubstitutesWithinArguments()
    {
        var template = CommandTemplate.Parse("tool -a \"two words\" 'lit $HOME' {options} {source}/ --to={target}", "source", "target");

        var argv = template.Render("my dir; x", "s3://b/p", ["--exclude", "a b"]);

        Assert.Equal(["tool", "-a", "two words", "lit $HOME", "--exclude", "a b", "my dir; x/", "--to=s3://b/p"], argv);
    }

    private static bool HasExited(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);

            // Killed processes can take a moment to be reaped by their new parent; this waits for that, it does not time the kill.
            return process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private static async Task WaitForFileAsync(string path)
    {
        for (int i = 0; i < 1000 && !File.Exists(path); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(File.Exists(path), $"the command never wrote {path}");
    }
}
