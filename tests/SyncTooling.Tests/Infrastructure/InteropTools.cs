using System.Diagnostics;
using System.Text;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>
/// The real rclone and aws-cli from Debian (<c>apt-get install -y rclone awscli</c>; .ci/run installs them, and this
/// class does when missing and running as root), each run with a private HOME and config in a temp folder, so a
/// test never reads or writes ~/.aws or ~/.config. rclone gets <c>AWS_CA_BUNDLE</c> removed (it refuses an
/// unreadable one); no AWS_* variable of the machine reaches either tool.
/// </summary>
public sealed class InteropTools : IDisposable
{
    /// <summary>The Debian aws-cli 2 (a pyenv or pip aws-cli 1 may come first on PATH).</summary>
    public const string AwsPath = "/usr/bin/aws";

    private static readonly Lazy<string?> Installed = new(EnsureInstalled);
    private readonly TempDirectory _home = new();
    private readonly S3Server? _server;

    /// <summary>rclone and aws-cli with a private home; with <paramref name="server"/>, an rclone remote <c>s3rver:</c> and aws-cli's config for it.</summary>
    public InteropTools(S3Server? server)
    {
        if (Installed.Value is string problem)
        {
            throw new InvalidOperationException(problem);
        }

        _server = server;
        if (server is null)
        {
            File.WriteAllText(RcloneConfig, string.Empty);
            return;
        }

        File.WriteAllText(RcloneConfig, $"""
            [s3rver]
            type = s3
            provider = Other
            access_key_id = {S3Server.AccessKey}
            secret_access_key = {S3Server.SecretKey}
            endpoint = http://{server.Endpoint}
            region = us-east-1
            force_path_style = true
            no_check_bucket = true

            """);
        File.WriteAllText(_home.Combine("aws-config"), "[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n");
        File.WriteAllText(_home.Combine("aws-credentials"), $"[default]\naws_access_key_id = {S3Server.AccessKey}\naws_secret_access_key = {S3Server.SecretKey}\n");
    }

    private string RcloneConfig => _home.Combine("rclone.conf");

    /// <summary>The rclone remote path of <paramref name="prefix"/> in the test bucket.</summary>
    public static string RcloneRemote(string prefix) => $"s3rver:{S3Server.Bucket}/{prefix}";

    /// <summary>
    /// Runs rclone with the private config; returns the exit code and stdout + stderr. Always with
    /// <c>--fast-list</c> (one recursive listing): s3rver 3.7.1 leaves a folder that holds only folders out of
    /// a delimited listing's CommonPrefixes, so rclone's folder-by-folder walk would miss <c>nested/deeper/</c>.
    /// </summary>
    public Task<(int ExitCode, string Output)> RcloneAsync(params string[] args) =>
        RunAsync("rclone", ["--config", RcloneConfig, "--fast-list", .. args]);

    /// <summary>Runs rclone with the private config and <paramref name="environment"/> (e.g. a remote defined by RCLONE_CONFIG_NAME_* variables).</summary>
    public Task<(int ExitCode, string Output)> RcloneAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunAsync("rclone", ["--config", RcloneConfig, .. args], environment);

    /// <summary>Runs aws-cli against the server with the private config files.</summary>
    public Task<(int ExitCode, string Output)> AwsAsync(params string[] args) =>
        RunAsync(AwsPath, [.. args, "--endpoint-url", "http://" + (_server ?? throw new InvalidOperationException("no S3 server")).Endpoint, "--no-cli-pager"]);

    public void Dispose() => _home.Dispose();

    private async Task<(int ExitCode, string Output)> RunAsync(string program, string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k.StartsWith("RCLONE_", StringComparison.Ordinal) || k.StartsWith("PYTHON", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["HOME"] = _home.Path;
        start.Environment["XDG_CONFIG_HOME"] = _home.Combine("config");
        start.Environment["XDG_CACHE_HOME"] = _home.Combine("cache");
        start.Environment["AWS_CONFIG_FILE"] = _home.Combine("aws-config");
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = _home.Combine("aws-credentials");
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException(program + " did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within 3 minutes");
        }

        var output = new StringBuilder().Append(await stdout).Append(await stderr).ToString();
        return (process.ExitCode, output);
    }

    private static string? EnsureInstalled()
    {
        if (!File.Exists("/usr/bin/rclone") || !File.Exists(AwsPath))
        {
            if (Environment.UserName == "root" && File.Exists("/usr/bin/apt-get"))
            {
                RunQuietly("apt-get", "update", "-qq");
                RunQuietly("apt-get", "install", "-y", "-qq", "rclone", "awscli");
            }
        }

        return File.Exists("/usr/bin/rclone") && File.Exists(AwsPath)
            ? null
            : "rclone and aws-cli are not installed and could not be installed (not root, or apt-get failed): run `apt-get install -y rclone awscli` (bash .ci/run does).";
    }

    private static void RunQuietly(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        _ = process.StandardOutput.ReadToEndAsync();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
    }
}
