using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests;

/// <summary>
/// The tool as a user gets it: packed, installed from a folder into a fresh local tool manifest, and run
/// with `dotnet tool run sync -- ...`. One pack and install for the class (<see cref="InstalledTool"/>).
/// </summary>
public sealed class ToolPackageTests(ToolPackageTests.InstalledTool tool) : IClassFixture<ToolPackageTests.InstalledTool>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task InstalledTool_RoundTripsFilesByteForByte()
    {
        _temp.Write("run/params.json", """{ "lr": 0.1 }""");
        _temp.Write("run/checkpoint_1/model.bin", new string('m', 50_000));
        _temp.Write("run/skip.tmp", "never synced");
        string remote = _temp.Combine("remote");
        string restore = _temp.Combine("restore");

        var up = await tool.RunAsync("up", _temp.Combine("run"), remote, "-x", "*.tmp", "--json");
        var down = await tool.RunAsync("down", remote, restore);

        Assert.Equal((0, ""), (up.ExitCode, up.Stderr));
        Assert.Equal((0, ""), (down.ExitCode, down.Stderr));
        Assert.Contains("\"filesTransferred\":2", up.Stdout);
        var expected = TempDirectory.Snapshot(_temp.Combine("run"));
        expected.Remove("skip.tmp");
        Assert.Equal(expected, TempDirectory.Snapshot(restore));
    }

    [Fact]
    public async Task InstalledTool_ReportsVersionAndUsageErrors()
    {
        var version = await tool.RunAsync("--version");
        var bad = await tool.RunAsync("up", _temp.Path, _temp.Combine("r"), "-j", "0");

        Assert.Equal(0, version.ExitCode);
        Assert.StartsWith($"sync {tool.Version}", version.Stdout);
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("error: --jobs is 0; it must be between 1 and 256.\n", bad.Stderr);
    }

    [Fact]
    public async Task InstalledTool_ResolvesThroughThePrivateHome_AndLeavesTheUsersResolverCacheAlone()
    {
        var version = await tool.RunAsync("--version");

        Assert.Equal(0, version.ExitCode);
        string privateCache = Path.Combine(tool.Home, ".dotnet", "toolResolverCache");
        Assert.Contains(Directory.EnumerateFiles(privateCache, "*", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains(tool.Home, StringComparison.Ordinal));
        string userCache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "toolResolverCache");
        var leaked = Directory.Exists(userCache)
            ? Directory.EnumerateFiles(userCache, "*", SearchOption.AllDirectories).Where(f => File.ReadAllText(f).Contains(tool.Home, StringComparison.Ordinal)).ToList()
            : [];
        Assert.Empty(leaked);
    }

    /// <summary>
    /// Packs the already-built tool into a temp folder and installs it into a fresh tool manifest, every `dotnet` in a
    /// private home (<see cref="DotnetCli"/>): the tool resolver cache in ~/.dotnet is never touched.
    /// </summary>
    public sealed class InstalledTool : IAsyncLifetime
    {
#if DEBUG
        private const string Configuration = "Debug";
#else
        private const string Configuration = "Release";
#endif
        private readonly TempDirectory _root = new();
        private readonly DotnetCli _dotnet = new();

        public string Version { get; private set; } = "";

        /// <summary>The private home; its packages folder is where the resolver cache points.</summary>
        public string Home => _dotnet.Home;

        private string ToolDirectory => _root.Combine("tool");

        public async Task InitializeAsync()
        {
            string project = Path.Combine(RepositoryRoot.Path, "src", "SyncTooling.Cli", "SyncTooling.Cli.csproj");
            string packages = _root.Combine("packages");
            Directory.CreateDirectory(ToolDirectory);

            // dotnet test has built the tool already; packing that build keeps this fixture to seconds.
            Expect(await _dotnet.RunAsync(_root.Path, null, "pack", project, "-c", Configuration, "--no-build", "-o", packages));
            string package = Path.GetFileNameWithoutExtension(Directory.GetFiles(packages, "SyncTooling.Tool.*.nupkg").Single());
            Version = package["SyncTooling.Tool.".Length..];
            Expect(await _dotnet.RunAsync(ToolDirectory, null, "new", "tool-manifest"));

            // A tool package carries its dependencies, so the local feed is the only source: no network, no other build.
            string config = _root.Combine("nuget.config");
            DotnetCli.WriteNuGetConfig(config, packages, "SyncTooling.Tool");
            Expect(await _dotnet.RunAsync(ToolDirectory, null, "tool", "install", "--local", "SyncTooling.Tool", "--configfile", config, "--version", Version));
        }

        public Task DisposeAsync()
        {
            _dotnet.Dispose();
            _root.Dispose();
            return Task.CompletedTask;
        }

        public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
        {
            var result = await _dotnet.RunAsync(ToolDirectory, null, ["tool", "run", "sync", "--", .. args]);
            return (result.ExitCode, result.Stdout, result.Stderr);
        }

        private static void Expect(DotnetResult result) =>
            Assert.True(result.ExitCode == 0, $"dotnet failed ({result.ExitCode}):\n{result.Stdout}\n{result.Stderr}");
    }
}
