using System.Diagnostics;
using System.Security;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>What one `dotnet` child process printed.</summary>
public sealed record DotnetResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;
}

/// <summary>
/// Runs the dotnet CLI as a user would, but in a private home: DOTNET_CLI_HOME (first-use sentinels, the tool
/// resolver cache, NuGet's config and caches) and NUGET_PACKAGES point into a temp folder removed on dispose.
/// Without it a `dotnet tool install` from a temp feed left a resolver-cache entry in ~/.dotnet that pointed into
/// the deleted folder, which broke the next run and the user's own `dotnet tool run` of that version.
/// </summary>
public sealed class DotnetCli : IDisposable
{
    private readonly TempDirectory _home = new();

    /// <summary>The private home (DOTNET_CLI_HOME): the SDK writes its `.dotnet` folder here instead of the user's.</summary>
    public string Home => _home.Path;

    /// <summary>The private NuGet packages folder: nothing restored by an earlier build of the same version is ever used.</summary>
    public string PackagesFolder => _home.Combine("packages");

    /// <summary>
    /// The user's global packages folder, read only: offered as a local source in <see cref="WriteNuGetConfig"/> so a
    /// restore copies what the solution's own restore already has instead of downloading it again.
    /// </summary>
    public static string UserPackagesFolder =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
            ? packages
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>
    /// Writes a nuget.config with no machine or user sources: packages named <paramref name="localPattern"/> come only
    /// from <paramref name="localFeed"/>, everything else only from <see cref="UserPackagesFolder"/>. No network.
    /// </summary>
    public static void WriteNuGetConfig(string path, string localFeed, string localPattern)
    {
        File.WriteAllText(path, $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="synctooling-local" value="{SecurityElement.Escape(localFeed)}" />
                <add key="user-packages" value="{SecurityElement.Escape(UserPackagesFolder)}" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="synctooling-local"><package pattern="{localPattern}" /></packageSource>
                <packageSource key="user-packages"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
    }

    public async Task<DotnetResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // `dotnet test` passes MSBuild variables down to the test host; a nested build must not inherit them.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_HOME"] = _home.Path;
        start.Environment["NUGET_PACKAGES"] = PackagesFolder;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new DotnetResult(process.ExitCode, await stdout, await stderr);
    }

    public void Dispose() => _home.Dispose();
}
