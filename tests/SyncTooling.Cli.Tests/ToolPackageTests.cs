using System.Diagnostics;
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

    /// <summary>Packs the already-built tool into a temp folder and installs it into a fresh tool manifest.</summary>
    public sealed class InstalledTool : IAsyncLifetime
    {
#if DEBUG
        private const string Configuration = "Debug";
#else
        private const string Configuration = "Release";
#endif
        private readonly TempDirectory _root = new();

        public string Version { get; private set; } = "";

        private string ToolDirectory => _root.Combine("tool");

        public async Task InitializeAsync()
        {
            string project = Path.Combine(FindRepositoryRoot(), "src", "SyncTooling.Cli", "SyncTooling.Cli.csproj");
            string packages = _root.Combine("packages");
            Directory.CreateDirectory(ToolDirectory);

            // dotnet test has built the tool already; packing that build keeps this fixture to seconds.
            await Expect(await DotnetAsync(_root.Path, "pack", project, "-c", Configuration, "--no-build", "-o", packages));
            string package = Path.GetFileNameWithoutExtension(Directory.GetFiles(packages, "SyncTooling.Tool.*.nupkg").Single());
            Version = package["SyncTooling.Tool.".Length..];
            await Expect(await DotnetAsync(ToolDirectory, "new", "tool-manifest"));
            await Expect(await DotnetAsync(ToolDirectory, "tool", "install", "--local", "SyncTooling.Tool", "--add-source", packages, "--version", Version));
        }

        public Task DisposeAsync()
        {
            _root.Dispose();
            return Task.CompletedTask;
        }

        public Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) =>
            DotnetAsync(ToolDirectory, ["tool", "run", "sync", "--", .. args]);

        private async Task<(int ExitCode, string Stdout, string Stderr)> DotnetAsync(string workingDirectory, params string[] args)
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            // A private package cache: a tool of the same version installed earlier must never stand in for this build.
            start.Environment["NUGET_PACKAGES"] = _root.Combine("nuget-cache");
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout, await stderr);
        }

        private static Task Expect((int ExitCode, string Stdout, string Stderr) result)
        {
            Assert.True(result.ExitCode == 0, $"dotnet failed ({result.ExitCode}):\n{result.Stdout}\n{result.Stderr}");
            return Task.CompletedTask;
        }

        private static string FindRepositoryRoot()
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SyncTooling.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("SyncTooling.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
