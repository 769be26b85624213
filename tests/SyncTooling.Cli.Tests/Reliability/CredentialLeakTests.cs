using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests.Reliability;

/// <summary>
/// Secrets in a location or in the environment never reach stdout or stderr, in any output mode, on success or error.
/// s3rver checks the access key id but not the signature, so the error paths use an unknown key id with the secret.
/// </summary>
[Collection("s3rver")]
public sealed class CredentialLeakTests(S3Server server) : IDisposable
{
    private const string UriSecret = "TopSecretUri789";
    private const string EnvSecret = "TopSecretEnv456";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Modes => new() { "--plain", "--verbose", "--json" };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task SecretInTheLocation_IsShownMasked_OnSuccess(string mode)
    {
        _temp.Write("local/a.txt", "alpha");

        // The test server's credentials win over the location's, so the sync succeeds and the secret only travels through output.
        var result = await SyncRun.RunAsync(new TestConsole(), Args("up", _temp.Combine("local"), WithSecret(server.Location($"creds/{Guid.NewGuid():N}")), mode), registry: server.Registry);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("secret_key=***", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(UriSecret, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task SecretInTheLocation_IsShownMasked_OnAnError(string mode)
    {
        var result = await SyncRun.RunAsync(new TestConsole(), Args("down", WithSecret(server.Location("nothing-here")), _temp.Combine("local"), mode), registry: server.Registry);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("secret_key=***", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(UriSecret, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task WrongSecretInTheLocation_FailsWithoutShowingIt(string mode)
    {
        _temp.Write("local/a.txt", "alpha");
        string location = server.Location("creds/x") + "&access_key=WRONGKEY&secret_key=" + UriSecret;
        using var child = SyncProcess.Start(new Dictionary<string, string> { ["AWS_EC2_METADATA_DISABLED"] = "true" }, Args("up", _temp.Combine("local"), location, mode));

        int exitCode = await child.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(1, exitCode);
        Assert.Contains("InvalidAccessKeyId", child.Stdout + child.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(UriSecret, child.Stdout + child.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task WrongSecretInTheEnvironment_FailsWithoutShowingIt(string mode)
    {
        _temp.Write("local/a.txt", "alpha");
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "WRONGKEY",
            ["AWS_SECRET_ACCESS_KEY"] = EnvSecret,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };
        using var child = SyncProcess.Start(environment, Args("up", _temp.Combine("local"), server.Location("creds/x"), mode));

        int exitCode = await child.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(1, exitCode);
        Assert.Contains("InvalidAccessKeyId", child.Stdout + child.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(EnvSecret, child.Stdout + child.Stderr, StringComparison.Ordinal);
    }

    private static string WithSecret(string location) => location + "&access_key=SOMEKEY&secret_key=" + UriSecret;

    private static string[] Args(string command, string from, string to, string mode) =>
        mode == "--plain" ? [command, from, to] : [command, from, to, mode];
}
