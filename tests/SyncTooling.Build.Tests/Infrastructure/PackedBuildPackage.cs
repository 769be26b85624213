using System.Reflection;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Build.Tests.Infrastructure;

/// <summary>
/// SyncTooling.Build packed once per test run from the binaries this run built, in a local feed, with a
/// private NuGet packages folder so no earlier build of the same version is ever picked up.
/// </summary>
public sealed class PackedBuildPackage : IAsyncLifetime
{
    private readonly TempDirectory _root = new();

    public string Feed => _root.Combine("feed");

    public string PackagesFolder => _root.Combine("packages");

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
        var (exitCode, output) = await DotnetCli.RunAsync(
            RepositoryRoot.Path,
            new Dictionary<string, string>(),
            "pack", project, "--no-build", "-c", configuration, "-o", Feed, "-nodeReuse:false", "-p:NuspecOutputPath=" + _root.Combine("nuspec", id) + "/");
        if (exitCode != 0 || !Directory.EnumerateFiles(Feed, id + ".*.nupkg").Any())
        {
            throw new InvalidOperationException($"dotnet pack {id} failed ({exitCode}):\n{output}");
        }
    }

    public Task DisposeAsync()
    {
        _root.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A consumer project in its own temp folder, shielded from any Directory.*.props above it.</summary>
    public Consumer CreateConsumer(string projectBody) => new(this, projectBody);

    /// <summary>Builds with `dotnet`, no build servers or reused nodes (they would hold the task dll).</summary>
    public Task<(int ExitCode, string Output)> RunAsync(string directory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["NUGET_PACKAGES"] = PackagesFolder };
        return DotnetCli.RunAsync(directory, env, [.. arguments, "-nodeReuse:false", "--disable-build-servers", "-v:n", "-tl:off"]);
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

        // Adds the local feed to the machine's default sources; nothing here names a registry.
        File.WriteAllText(
            _directory.Combine("nuget.config"),
            $"""<configuration><packageSources><add key="synctooling-local" value="{package.Feed}" /></packageSources></configuration>""");
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
