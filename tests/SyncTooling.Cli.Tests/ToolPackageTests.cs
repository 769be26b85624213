using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Xml.Linq;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests;

/// <summary>
/// The tool as a user gets it: packed (a pointer package plus one package per platform), installed from a folder into a
/// fresh local tool manifest, and run with `dotnet tool run sync -- ...`. One pack and install for the class
/// (<see cref="InstalledTool"/>).
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

    [Fact]
    public void Pack_MakesAPointerPackage_NamingEveryPlatformPackageAndThePortableFallback()
    {
        var settings = XDocument.Parse(tool.ReadFromPackage("SyncTooling.Tool", "tools/any/any/DotnetToolSettings.xml"));

        var packages = settings.Descendants("RuntimeIdentifierPackage").Select(p => ((string?)p.Attribute("RuntimeIdentifier"), (string?)p.Attribute("Id")));
        Assert.Equal(InstalledTool.PackageRuntimeIdentifiers.Select(rid => ((string?)rid, (string?)$"SyncTooling.Tool.{rid}")), packages);
    }

    [Fact]
    public void InstalledTool_IsThisPlatformsReadyToRunPackage_NotThePortableOne()
    {
        string rid = InstalledTool.PackageRuntimeIdentifiers.Contains(RuntimeInformation.RuntimeIdentifier) ? RuntimeInformation.RuntimeIdentifier : "any";
        string installed = Path.Combine(tool.PackagesFolder, $"synctooling.tool.{rid}", tool.Version, "tools", "net10.0", rid);

        Assert.NotEqual("any", rid);
        Assert.All(ReadyToRunChecked, dll => Assert.True(IsReadyToRun(Path.Combine(installed, dll)), $"{dll} in {installed} carries no ReadyToRun code"));
        Assert.False(Directory.Exists(Path.Combine(tool.PackagesFolder, "synctooling.tool.any")), "the portable package was installed too");
        // The runtime settings measured in bench/ travel with the package.
        var options = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(installed, "sync.runtimeconfig.json")))?["runtimeOptions"]?["configProperties"];
        Assert.False((bool?)options?["System.Runtime.TieredPGO"] ?? true, "TieredPGO is not switched off in the installed runtimeconfig.json");
        Assert.True((bool?)options?["Switch.System.Reflection.ForceInterpretedInvoke"] ?? false, "reflection invoke stubs are not switched off in the installed runtimeconfig.json");
        Assert.Equal("1000", options?["System.Runtime.TieredCompilation.CallCountThreshold"]?.ToString());
    }

    [Fact]
    public async Task FallbackTool_WherePointerNamesNoPackageForThisPlatform_InstallsThePortableJitPackage_AndRuns()
    {
        _temp.Write("run/params.json", """{ "lr": 0.1 }""");
        string remote = _temp.Combine("remote");

        var version = await tool.Fallback.RunAsync("--version");
        var up = await tool.Fallback.RunAsync("up", _temp.Combine("run"), remote, "--quiet");

        Assert.Equal((0, ""), (version.ExitCode, version.Stderr));
        Assert.StartsWith($"sync {tool.Version}", version.Stdout);
        Assert.Equal((0, ""), (up.ExitCode, up.Stderr));
        Assert.Equal(TempDirectory.Snapshot(_temp.Combine("run")), TempDirectory.Snapshot(remote));
        string installed = Path.Combine(tool.Fallback.PackagesFolder, "synctooling.tool.any", tool.Version, "tools", "net10.0", "any");
        Assert.All(ReadyToRunChecked, dll => Assert.False(IsReadyToRun(Path.Combine(installed, dll)), $"{dll} in {installed} is ReadyToRun"));
        Assert.Equal(["synctooling.tool", "synctooling.tool.any"], Directory.GetDirectories(tool.Fallback.PackagesFolder, "synctooling.tool*").Select(Path.GetFileName).Order());
    }

    /// <summary>The tool's own code, the core library and the heaviest dependencies at start-up.</summary>
    private static readonly string[] ReadyToRunChecked = ["sync.dll", "SyncTooling.dll", "McMaster.Extensions.CommandLineUtils.dll", "AWSSDK.Core.dll", "AWSSDK.S3.dll"];

    /// <summary>A ReadyToRun image carries precompiled code behind the CLI header's managed native header; an IL-only one has none.</summary>
    private static bool IsReadyToRun(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        return pe.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }

    /// <summary>
    /// Packs the tool as it ships (the pointer package and one package per platform) into a temp feed and installs it into a
    /// fresh tool manifest, every `dotnet` in a private home (<see cref="DotnetCli"/>): the tool resolver cache in ~/.dotnet is
    /// never touched. <see cref="Fallback"/> is a second install, in its own home, of a pointer package that names no package
    /// for this platform, so the CLI falls back to the portable one, as it does for users on a platform we do not build for.
    /// </summary>
    public sealed class InstalledTool : IAsyncLifetime
    {
        /// <summary>The platforms `dotnet pack` builds ReadyToRun packages for, in the csproj's order, then the portable fallback.</summary>
        public static readonly string[] PackageRuntimeIdentifiers = ["linux-x64", "linux-arm64", "osx-arm64", "win-x64", "any"];

#if DEBUG
        private const string Configuration = "Debug";
#else
        private const string Configuration = "Release";
#endif
        private readonly TempDirectory _root = new();
        private readonly DotnetCli _dotnet = new();
        private readonly DotnetCli _fallbackDotnet = new();
        private Install? _platform;

        public string Version { get; private set; } = "";

        /// <summary>The private home; its packages folder is where the resolver cache points.</summary>
        public string Home => _dotnet.Home;

        /// <summary>Where the install put the tool's packages.</summary>
        public string PackagesFolder => _dotnet.PackagesFolder;

        /// <summary>The portable package, installed through a pointer that names no package for this platform.</summary>
        public Install Fallback { get; private set; } = null!;

        private string Feed => _root.Combine("packages");

        public async Task InitializeAsync()
        {
            string project = Path.Combine(RepositoryRoot.Path, "src", "SyncTooling.Cli", "SyncTooling.Cli.csproj");

            // dotnet test has built the RID-agnostic tool; the per-platform builds (ReadyToRun compiles every assembly) happen
            // here, so no --no-build. --no-restore: a restore here would point the worktree's obj/ at the private packages
            // folder, deleted with the fixture. A private nuspec folder keeps other packs of the project out of this one's way.
            Expect(await _dotnet.RunAsync(_root.Path, null, "pack", project, "-c", Configuration, "--no-restore", "-o", Feed, "-nodeReuse:false", "-p:NuspecOutputPath=" + _root.Combine("nuspec") + "/"));
            string package = Path.GetFileNameWithoutExtension(Directory.GetFiles(Feed, "SyncTooling.Tool.*.nupkg").Single(IsPointerPackage));
            Version = package["SyncTooling.Tool.".Length..];
            _platform = await InstallAsync(_dotnet, Feed, "tool");

            // Built above already: only the pointer and the two named platforms' packages are made again, into a second feed.
            string other = PackageRuntimeIdentifiers.First(rid => rid != "any" && rid != RuntimeInformation.RuntimeIdentifier);
            string fallbackFeed = _root.Combine("fallback-packages");
            Expect(await _dotnet.RunAsync(_root.Path, null, "pack", project, "-c", Configuration, "--no-restore", "-o", fallbackFeed, "-nodeReuse:false",
                "-p:NuspecOutputPath=" + _root.Combine("fallback-nuspec") + "/", $"-p:ToolPackageRuntimeIdentifiers=\"{other};any\""));
            Fallback = await InstallAsync(_fallbackDotnet, fallbackFeed, "fallback-tool");
        }

        public Task DisposeAsync()
        {
            _dotnet.Dispose();
            _fallbackDotnet.Dispose();
            _root.Dispose();
            return Task.CompletedTask;
        }

        public Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) => _platform!.RunAsync(args);

        /// <summary>One file of a package in the feed, as text.</summary>
        public string ReadFromPackage(string id, string entry)
        {
            using var zip = ZipFile.OpenRead(Path.Combine(Feed, $"{id}.{Version}.nupkg"));
            using var reader = new StreamReader(zip.GetEntry(entry)?.Open() ?? throw new InvalidOperationException($"{id} has no {entry}"));
            return reader.ReadToEnd();
        }

        private static bool IsPointerPackage(string path) =>
            !PackageRuntimeIdentifiers.Any(rid => Path.GetFileName(path).StartsWith($"SyncTooling.Tool.{rid}.", StringComparison.Ordinal));

        private async Task<Install> InstallAsync(DotnetCli dotnet, string feed, string name)
        {
            string directory = _root.Combine(name);
            Directory.CreateDirectory(directory);
            Expect(await dotnet.RunAsync(directory, null, "new", "tool-manifest"));

            // A tool package carries its dependencies, so the local feed is the only source: no network, no other build.
            string config = _root.Combine($"{name}.nuget.config");
            DotnetCli.WriteNuGetConfig(config, feed, "SyncTooling.Tool*");
            Expect(await dotnet.RunAsync(directory, null, "tool", "install", "--local", "SyncTooling.Tool", "--configfile", config, "--version", Version));
            return new Install(dotnet, directory);
        }

        private static void Expect(DotnetResult result) =>
            Assert.True(result.ExitCode == 0, $"dotnet failed ({result.ExitCode}):\n{result.Stdout}\n{result.Stderr}");
    }

    /// <summary>One installed copy of the tool: its manifest folder and the private home it was installed in.</summary>
    public sealed class Install(DotnetCli dotnet, string directory)
    {
        public string PackagesFolder => dotnet.PackagesFolder;

        public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
        {
            var result = await dotnet.RunAsync(directory, null, ["tool", "run", "sync", "--", .. args]);
            return (result.ExitCode, result.Stdout, result.Stderr);
        }
    }
}
