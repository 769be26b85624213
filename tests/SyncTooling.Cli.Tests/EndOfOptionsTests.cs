using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Storage;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests;

/// <summary>
/// POSIX's end of options: after "--" every word is an operand, so a folder named "-data" can be synced
/// (it was "Unrecognized option '--'"). A "--" that is an option's value is that value, not the end of options.
/// </summary>
public sealed class EndOfOptionsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("up -- -src s3://b/p", "up ./-src s3://b/p")]
    [InlineData("up -j 4 -- -src --delete", "up -j 4 ./-src ./--delete")]
    [InlineData("up src -- -dst", "up src ./-dst")]
    [InlineData("down s3://b/p -- -", "down s3://b/p -")]
    [InlineData("up --delete -- --delete dst", "up --delete ./--delete dst")]
    [InlineData("up --exclude=-- -- -src dst", "up --exclude=-- ./-src dst")]
    [InlineData("up src dst --", "up src dst")]
    [InlineData("-- up src dst", "up src dst")]
    public void AfterTheSeparator_EveryWordIsAnOperand(string given, string parsedAs)
    {
        Assert.Equal(parsedAs.Split(' '), Apply(given.Split(' ')));
    }

    [Theory]
    [InlineData("up --exclude -- -src dst")]
    [InlineData("up -x -- src dst")]
    [InlineData("up --include -- src dst")]
    [InlineData("up src dst")]
    [InlineData("up ./-src dst")]
    public void ASeparatorThatIsAnOptionsValue_OrNone_LeavesTheWordsAsTheyAre(string given)
    {
        Assert.Equal(given.Split(' '), Apply(given.Split(' ')));
    }

    [Fact]
    public void ALiteralDoubleDashAsAnOptionsValue_DoesNotHideTheFiltersAfterIt()
    {
        // What the filters' order is read from: the arguments after EndOfOptions.Apply (found by the adversarial pass:
        // the order scan stopped at any "--", so '--region -- -x *.tmp' was "cannot tell the order").
        string[] args = Apply(["up", "--region", "--", "-x", "*.tmp", "--", "-data", "s3://b/p"]);

        var filters = SyncTooling.Cli.Commands.FilterArguments.Read(args, [], ["*.tmp"], [], TimeProvider.System);

        Assert.Equal(["up", "--region", "--", "-x", "*.tmp", "./-data", "s3://b/p"], args);
        Assert.Equal([SyncTooling.Sync.SyncFilter.Exclude("*.tmp")], filters);
    }

    [Fact]
    public async Task ASourceFolderInTheMiddleOfTheSeparator_Syncs()
    {
        _temp.Write("local/a.txt", "a");

        var result = await SyncRun.RunAsync("up", "--json", _temp.Combine("local"), "--", _temp.Combine("remote"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["a.txt"], TempDirectory.Snapshot(_temp.Combine("remote")).Keys);
    }

    [Fact]
    public async Task AnOptionAfterTheSeparator_IsAnOperand_NotTheOption()
    {
        _temp.Write("local/a.txt", "a");
        _temp.Write("remote/extra.txt", "stays: --delete after -- is no option");

        var result = await SyncRun.RunAsync("up", _temp.Combine("local"), _temp.Combine("remote"), "--", "--delete");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'./--delete'", result.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(_temp.Combine("remote/extra.txt")));
        Assert.False(File.Exists(_temp.Combine("remote/a.txt")));
    }

    private static string[] Apply(string[] args)
    {
        using var context = new CliContext(new TestConsole(), TimeProvider.System, StorageRegistry.Default) { Arguments = args };
        using var app = SyncCli.CreateApplication(context);
        return EndOfOptions.Apply(app, args);
    }
}
