using System.Reflection;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Build.Tests.Infrastructure;

/// <summary>
/// SyncTooling.Build packed once per test run from the binaries this run built, in a local feed. Every `dotnet` runs
/// in a private home (<see cref="DotnetCli"/>) with a private NuGet packages folder, so no earlier build of the same
/// version is ever picked up and nothing is written below the user's home.
/// </summary>
public sealed class PackedBuildPackage : IAsyncLifetime
{
    private readonly TempDirectory _root = new();
    private readonly DotnetCli _dotnet = new();

    public string Feed => _root.Combine("feed");

    public string PackagesFolder => _dotnet.PackagesFolder;

    public string Version { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        string configuration = typeof(PackedBuildPackage).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "Configuration").Value!;
        await PackAsync("SyncTooling.Build", configuration);
        await PackAsync("SyncTooling", configuration);
        string package = Directory.EnumerateFiles(Feed, "SyncTooling.Build.*.nupkg").Single();
        Version = Path.GetFileNameWithoutExtension(package)["SyncTooling.Build.".Length..];
    }

    /// <summary>The path of a packed package in the local feed.</summary>
    public string PackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    private async Task PackAsync(string id, string configuration)
    {
        string project = Path.Combine(RepositoryRoot.Path, "src", id, id + ".csproj");

        // --no-build: the test run has built these already; rebuilding here would race other builds. The nuspec
        // goes to a private folder so that other test projects packing the same project do not collide in obj/.
        var (exitCode, stdout, stderr) = await _dotnet.RunAsync(
            RepositoryRoot.Path,
            null,
            "pack", project, "--no-build", "-c", configuration, "-o", Feed, "-nodeReuse:false", "-p:NuspecOutputPath=" + _root.Combine("nuspec", id) + "/");
        if (exitCode != 0 || !Directory.EnumerateFiles(Feed, id + ".*.nupkg").Any())
        {
            throw new InvalidOperationException($"dotnet pack {id} failed ({exitCode}):\n{stdout}{stderr}");
        }
    }

    public Task DisposeAsync()
    {
        _dotnet.Dispose();
        _root.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A consumer project in its own temp folder, shielded from any Directory.*.props above it.</summary>
    public Consumer CreateConsumer(string projectBody) => new(this, projectBody);

    /// <summary>Builds with `dotnet`, no build servers or reused nodes (they would hold the task dll).</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(string directory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        // Normal verbosity unless the test asks for another (-v:m shows what a user sees by default).
        string[] verbosity = arguments.Any(a => a.StartsWith("-v:", StringComparison.Ordinal)) ? [] : ["-v:n"];
        var result = await _dotnet.RunAsync(directory, environment, [.. arguments, "-nodeReuse:false", "--disable-build-servers", .. verbosity, "-tl:off"]);
        return (result.ExitCode, result.Output);
    }
}

/// <summary>A throwaway project that references the packed SyncTooling.Build.</summary>
public sealed class Consumer : IDisposable
{
    private readonly PackedBuildPackage _package;
    private readonly TempDirectory _directory = new();

    public Consumer(PackedBuildPackage package, string projectBody)
    {
        _package = package;
        foreach (string stopper in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            File.WriteAllText(_directory.Combine(stopper), "<Project />");
        }

        // The packed SyncTooling packages from the local feed, their dependencies from the user's packages folder: no network.
        DotnetCli.WriteNuGetConfig(_directory.Combine("nuget.config"), package.Feed, "SyncTooling*");
        File.WriteAllText(
            _directory.Combine("Consumer.csproj"),
            $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="SyncTooling.Build" Version="{package.Version}" PrivateAssets="all" />
              </ItemGroup>
            {projectBody}
            </Project>
            """);
    }

    public string Directory => _directory.Path;

    public string Combine(params string[] parts) => _directory.Combine(parts);

    public string Write(string relative, string content) => _directory.Write(relative, content);

    public Task<(int ExitCode, string Output)> DotnetAsync(string command, IReadOnlyDictionary<string, string>? environment = null, params string[] arguments) =>
        _package.RunAsync(Directory, environment, [command, .. arguments]);

    public void Dispose() => _directory.Dispose();
}

[CollectionDefinition("dotnet build")]
public sealed class DotnetBuildCollection : ICollectionFixture<PackedBuildPackage>, ICollectionFixture<S3Server>;
