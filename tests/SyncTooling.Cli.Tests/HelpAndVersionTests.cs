using SyncTooling.Cli.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests;

public sealed class HelpAndVersionTests
{
    [Fact]
    public async Task Version_PrintsTheAssemblyVersion()
    {
        var result = await SyncRun.RunAsync("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^sync 0\.1\.0(\+[0-9a-f]+)?$", result.StdoutLines.Single());
    }

    [Theory]
    [InlineData("up", "dotnet sync up ./run1 s3://my-bucket/experiments/run1")]
    [InlineData("down", "dotnet sync down s3://my-bucket/experiments/run1 ./restore")]
    [InlineData("delete", "dotnet sync delete s3://my-bucket/experiments/run1 --dry-run")]
    [InlineData("ls", "dotnet sync ls s3://my-bucket/experiments")]
    [InlineData("watch", "dotnet sync watch ./run1 /mnt/backup/run1 --period 60 -x '*.tmp'")]
    [InlineData("validate", "dotnet sync validate --config sync.json")]
    [InlineData("demo", "dotnet sync demo --dir /tmp/sync-demo")]
    public async Task EveryCommandHelp_ShowsUsageAndExamples(string command, string example)
    {
        var result = await SyncRun.RunAsync(command, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"Usage: sync {command} ", result.Stdout);
        Assert.Contains("  " + example + "\n", result.Stdout);
        Assert.Contains("Exit codes: 0 success, 1 sync failed, 2 usage or validation error, 3 source not found, 130 interrupted.", result.Stdout);
    }

    [Fact]
    public async Task NoCommand_ShowsHelpAndIsAUsageError()
    {
        var result = await SyncRun.RunAsync();

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Commands:", result.Stdout);
        Assert.Equal("error: no command given. Run 'sync COMMAND --help' for a command's options.\n", result.Stderr);
    }
}
