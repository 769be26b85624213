using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests;

/// <summary>`sync up/down/ls` against az:// on Azurite: in-process, and as the real tool reading Azure's environment variables.</summary>
[Collection("azurite")]
public sealed class AzureCommandTests(AzuriteServer server) : IDisposable
{
    private const string WrongKey = "V3JvbmdLZXlXcm9uZ0tleVdyb25nS2V5V3JvbmdLZXk=";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Modes => new() { "--plain", "--verbose", "--json" };

    [Fact]
    public async Task UpLsDown_RoundTrip_AndASecondUpTransfersNothing()
    {
        _temp.Write("local/a.txt", "alpha");
        _temp.Write("local/sub/b.txt", "bb");
        string remote = server.Location($"cli/{Guid.NewGuid():N}");

        var up = await Run("up", _temp.Combine("local"), remote, "-q");
        var ls = await Run("ls", remote);
        var down = await Run("down", remote, _temp.Combine("down"), "-q");
        var again = await Run("up", _temp.Combine("local"), remote, "--json");

        Assert.Equal((0, 0, 0, 0), (up.ExitCode, ls.ExitCode, down.ExitCode, again.ExitCode));
        Assert.Equal("2 files, 7 B", ls.StdoutLines[^1]);
        Assert.EndsWith("  a.txt", ls.StdoutLines[0], StringComparison.Ordinal);
        Assert.EndsWith("  sub/b.txt", ls.StdoutLines[1], StringComparison.Ordinal);
        Assert.Equal(TempDirectory.Snapshot(_temp.Combine("local")), TempDirectory.Snapshot(_temp.Combine("down")));
        Assert.Equal(0, again.JsonEvents()[^1].GetProperty("filesTransferred").GetInt32());
    }

    [Fact]
    public async Task Down_FromAMissingContainer_ExitsWithSourceNotFound_AndKeepsTheLocalFiles()
    {
        _temp.Write("down/precious.txt", "keep");

        var result = await Run("down", server.Location("x", container: "no-such-container"), _temp.Combine("down"), "--delete");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal($"error: Source '{SyncTooling.Storage.StorageUri.Parse(server.Location("x", container: "no-such-container"))}' does not exist: Container 'no-such-container' does not exist in storage account 'devstoreaccount1' (ContainerNotFound): check the container name, the account and the endpoint. Nothing was transferred or deleted.\n", result.Stderr);
        Assert.Equal("keep", File.ReadAllText(_temp.Combine("down", "precious.txt")));
    }

    [Fact]
    public async Task TheTool_ReadsAzureStorageConnectionString_FromTheEnvironment()
    {
        _temp.Write("local/a.txt", "alpha");
        string remote = $"az://{AzuriteServer.Container}/cli-env/{Guid.NewGuid():N}";

        using var child = SyncProcess.Start(Environment(("AZURE_STORAGE_CONNECTION_STRING", server.ConnectionString)), "up", _temp.Combine("local"), remote, "-q");
        int exitCode = await child.WaitForExitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(0, exitCode);
        var listing = await new SyncEngine(server.Registry).ListAsync(StorageUri.Parse(remote));
        Assert.Equal(["a.txt"], listing.Select(e => e.Key));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task TheTool_WithAWrongKeyInTheEnvironment_FailsWithOneLine_AndNeverShowsTheKey(string mode)
    {
        _temp.Write("local/a.txt", "alpha");
        var environment = Environment(("AZURE_STORAGE_ACCOUNT", AzuriteServer.Account), ("AZURE_STORAGE_KEY", WrongKey));
        string[] args = ["up", _temp.Combine("local"), server.Location("cli-wrong"), mode];

        using var child = SyncProcess.Start(environment, mode == "--plain" ? args[..^1] : args);
        int exitCode = await child.WaitForExitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(1, exitCode);
        Assert.Contains("Azure refused the credential from AZURE_STORAGE_KEY for container 'synctooling-test'", child.Stdout + child.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongKey, child.Stdout + child.Stderr, StringComparison.Ordinal);
        if (mode == "--plain")
        {
            Assert.Single(child.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    private Task<CliResult> Run(params string[] args) => SyncRun.RunAsync(new TestConsole(), args, registry: server.Registry);

    // Every Azure variable set or blanked, so the real environment never leaks in; a private HOME for anything that looks there.
    private Dictionary<string, string> Environment(params (string Name, string Value)[] set)
    {
        var environment = new Dictionary<string, string>
        {
            ["AZURE_STORAGE_CONNECTION_STRING"] = string.Empty,
            ["AZURE_STORAGE_ACCOUNT"] = string.Empty,
            ["AZURE_STORAGE_KEY"] = string.Empty,
            ["AZURE_STORAGE_SAS_TOKEN"] = string.Empty,
            ["HOME"] = _temp.Combine("home"),
        };
        foreach (var (name, value) in set)
        {
            environment[name] = value;
        }

        return environment;
    }
}
