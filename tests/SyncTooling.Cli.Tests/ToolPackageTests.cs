using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Xml.Linq;
using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests;

/// <summary>
/// The tool as a user gets it: packed (a pointer package plus one package per platform), installed from a folder into a
/// fresh local tool manifest, and run with `dotnet tool run sync -- ...`. One pack and install for the class
/// (<see cref="InstalledTool"/>).
/// </summary>
public sealed class ToolPackageTests(ToolPackageTests.InstalledTool tool, S3Server s3, AzuriteServer azurite)
    : IClassFixture<ToolPackageTests.InstalledTool>, IClassFixture<S3Server>, IClassFixture<AzuriteServer>, IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

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
    public void InstalledTool_OnLinuxX64_IsTheNativeExecutable_AndNothingElse()
    {
        Assert.Equal("linux-x64", RuntimeInformation.RuntimeIdentifier); // CI's platform: the one whose package is native.
        string installed = Path.GetDirectoryName(tool.NativeExecutable)!;

        Assert.Equal(["DotnetToolSettings.xml", "sync"], Directory.GetFiles(installed).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }, File.ReadAllBytes(tool.NativeExecutable)[..4]);
        Assert.Contains("Runner=\"executable\"", File.ReadAllText(Path.Combine(installed, "DotnetToolSettings.xml")), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(tool.PackagesFolder, "synctooling.tool.any")), "the portable package was installed too");
        // docs/performance.md promises glibc 2.34 (Debian 12, Ubuntu 22.04, RHEL 9): the newest symbol version it links.
        Assert.Equal(new Version(2, 34), GlibcVersionsNeeded(tool.NativeExecutable).Max());
    }

    [Fact]
    public void OtherPlatformPackages_AreReadyToRun_WithTheMeasuredRuntimeSettings()
    {
        string extracted = _temp.Combine("linux-arm64");
        ZipFile.ExtractToDirectory(Path.Combine(tool.FeedFolder, $"SyncTooling.Tool.linux-arm64.{tool.Version}.nupkg"), extracted);
        string installed = Path.Combine(extracted, "tools", "net10.0", "linux-arm64");

        Assert.All(ReadyToRunChecked, dll => Assert.True(IsReadyToRun(Path.Combine(installed, dll)), $"{dll} in {installed} carries no ReadyToRun code"));
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

    [Fact]
    public async Task InstalledTool_SyncsWithS3_SmallAndMultipartFiles_UpNoChangeAndDown()
    {
        _temp.Write("run/params.json", """{ "lr": 0.1 }""");
        _temp.Write("run/deep/ü ñ/result.csv", "epoch,loss\n1,0.5\n");
        File.WriteAllBytes(_temp.Combine("run/model.bin"), RandomBytes(9 * 1024 * 1024 + 17)); // above the 8 MiB multipart threshold
        string remote = s3.Location($"tool-{Guid.NewGuid():N}");
        var aws = SyncProcess.AwsEnvironment(S3Server.AccessKey, S3Server.SecretKey);

        var up = await tool.RunAsync(aws, "up", _temp.Combine("run"), remote, "--json");
        var again = await tool.RunAsync(aws, "up", _temp.Combine("run"), remote, "--json");
        var ls = await tool.RunAsync(aws, "ls", remote);
        var down = await tool.RunAsync(aws, "down", remote, _temp.Combine("restore"));

        Assert.Equal((0, ""), (up.ExitCode, up.Stderr));
        Assert.Contains("\"filesTransferred\":3", up.Stdout, StringComparison.Ordinal);
        Assert.Equal((0, ""), (again.ExitCode, again.Stderr));
        Assert.Contains("\"filesTransferred\":0", again.Stdout, StringComparison.Ordinal);
        Assert.Contains("3 files", ls.Stdout, StringComparison.Ordinal);
        Assert.Equal((0, ""), (down.ExitCode, down.Stderr));
        Assert.Equal(TempDirectory.Snapshot(_temp.Combine("run")), TempDirectory.Snapshot(_temp.Combine("restore")));
    }

    [Fact]
    public async Task InstalledTool_SyncsWithAzure_AndNeverShowsAWrongKey()
    {
        _temp.Write("run/params.json", """{ "lr": 0.1 }""");
        string remote = $"az://{AzuriteServer.Container}/tool-{Guid.NewGuid():N}?endpoint={azurite.Endpoint}";
        const string WrongKey = "d3Jvbmcta2V5LXRoYXQtaXMtbm90LWF6dXJpdGVzLWtleS0wMTIzNDU2Nzg5YWJjZGVm";

        var up = await tool.RunAsync(new Dictionary<string, string> { ["AZURE_STORAGE_CONNECTION_STRING"] = azurite.ConnectionString }, "up", _temp.Combine("run"), remote, "-q");
        var down = await tool.RunAsync(new Dictionary<string, string> { ["AZURE_STORAGE_CONNECTION_STRING"] = azurite.ConnectionString }, "down", remote, _temp.Combine("restore"), "-q");
        var wrong = await tool.RunAsync(new Dictionary<string, string> { ["AZURE_STORAGE_ACCOUNT"] = AzuriteServer.Account, ["AZURE_STORAGE_KEY"] = WrongKey }, "ls", remote);

        Assert.Equal((0, ""), (up.ExitCode, up.Stderr));
        Assert.Equal((0, ""), (down.ExitCode, down.Stderr));
        Assert.Equal(TempDirectory.Snapshot(_temp.Combine("run")), TempDirectory.Snapshot(_temp.Combine("restore")));
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("Azure refused the credential from AZURE_STORAGE_KEY", wrong.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongKey, wrong.Stdout + wrong.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task NativeTool_Signalled_WhileAServerNeverAnswers_ExitsInterrupted_WithOneLine(string signal)
    {
        _temp.Write("run/params.json", """{ "lr": 0.1 }""");
        await using var server = StallingServers.Start("never-accepting");
        var aws = SyncProcess.AwsEnvironment(HostileS3Server.AccessKey, HostileS3Server.SecretKey);
        using var child = SyncProcess.StartExecutable(tool.NativeExecutable, aws, "up", _temp.Combine("run"), server.Location("run") + "&region=us-east-1", "--timeout", "120");
        Assert.True(await child.WaitUntilAsync(() => child.Stdout.Contains("up ", StringComparison.Ordinal), Bound), child.Stderr);

        await child.SignalAsync(signal);
        int exit = await child.WaitForExitAsync(Bound);

        Assert.Equal(130, exit);
        Assert.Equal("error: interrupted; files already written are complete and none was left half-written (the next run resumes a large transfer that was cut off).", child.Stderr.Trim());
        Assert.DoesNotContain(HostileS3Server.SecretKey, child.Stdout + child.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("profile")]
    [InlineData("web-identity")]
    public async Task NativeTool_TakesItsKeysFromSts_ForARoleProfile_OrAWebIdentityToken(string how)
    {
        await using var sts = FakeSts.Start();
        _temp.Write("aws/config", "[profile runner]\nrole_arn = arn:aws:iam::123456789012:role/sync\nsource_profile = base\nregion = us-east-1\n");
        _temp.Write("aws/credentials", "[base]\naws_access_key_id = BASEKEYID\naws_secret_access_key = BaseSecretValue123\n");
        _temp.Write("token", "eyJhbGciOiJSUzI1NiJ9.ci-runner-token.sig");
        _temp.Write("run/a.txt", "alpha");
        var environment = sts.EnvironmentFor(_temp);
        string remote = s3.Location($"native-sts/{Guid.NewGuid():N}");
        if (how == "profile")
        {
            remote += "&profile=runner";
        }
        else
        {
            environment["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/ci";
            environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = _temp.Combine("token");
        }

        using var child = SyncProcess.StartExecutable(tool.NativeExecutable, environment, "up", _temp.Combine("run"), remote, "--retries", "0", "--json");
        int exit = await child.WaitForExitAsync(Bound);

        Assert.True(exit == 0, child.Stdout + child.Stderr);
        Assert.Contains("\"filesTransferred\":1", child.Stdout, StringComparison.Ordinal);
        Assert.Contains(how == "profile" ? "Action=AssumeRole&" : "Action=AssumeRoleWithWebIdentity", Assert.Single(sts.Requests).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstalledTool_BadInput_IsOneLine_AndAHelpfulSuggestion()
    {
        var mistyped = await tool.RunAsync("up", _temp.Path, _temp.Combine("r"), "--delet");
        var notANumber = await tool.RunAsync("up", _temp.Path, _temp.Combine("r"), "-j", "abc");
        var help = await tool.RunAsync("up", "--help");

        Assert.Equal((2, "error: Unrecognized option '--delet'. Did you mean '--delete'? Run 'sync up --help' for the options.\n"), (mistyped.ExitCode, mistyped.Stderr));
        Assert.Equal(2, notANumber.ExitCode);
        Assert.StartsWith("error: Invalid value specified for jobs. 'abc' is not a valid number.", notANumber.Stderr, StringComparison.Ordinal);
        Assert.Equal((0, ""), (help.ExitCode, help.Stderr));
        Assert.Contains("--max-delete", help.Stdout, StringComparison.Ordinal);
    }

    private static byte[] RandomBytes(int length)
    {
        byte[] bytes = new byte[length];
        new Random(14).NextBytes(bytes);
        return bytes;
    }

    /// <summary>The glibc symbol versions an ELF executable needs, read from its version names (GLIBC_2.nn).</summary>
    private static IEnumerable<Version> GlibcVersionsNeeded(string path) =>
        System.Text.RegularExpressions.Regex.Matches(System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(path)), @"GLIBC_(\d+)\.(\d+)(?:\.\d+)?\0")
            .Select(m => new Version(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)));

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

        public Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) => _platform!.RunAsync(null, args);

        public Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args) => _platform!.RunAsync(environment, args);

        /// <summary>The installed linux-x64 package's native executable (what `dotnet tool run sync` starts).</summary>
        public string NativeExecutable => Path.Combine(PackagesFolder, "synctooling.tool.linux-x64", Version, "tools", "net10.0", "linux-x64", "sync");

        /// <summary>The folder the packages were packed into.</summary>
        public string FeedFolder => Feed;

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

        public Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) => RunAsync(null, args);

        public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
        {
            var result = await dotnet.RunAsync(directory, environment, ["tool", "run", "sync", "--", .. args]);
            return (result.ExitCode, result.Stdout, result.Stderr);
        }
    }
}
