using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Storage;
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

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task SessionTokenFromAProfileFile_EchoedByTheServer_IsMasked(string mode)
    {
        const string Token = "ProfileSessionToken321";
        const string ProfileSecret = "ProfileSecretKey654";
        string home = _temp.Combine("home");
        string credentials = _temp.Write("home/.aws/credentials", $"[default]\naws_access_key_id = PROFILEKEY\naws_secret_access_key = {ProfileSecret}\naws_session_token = {Token}\n");
        string config = _temp.Write("home/.aws/config", "[default]\nregion = us-east-1\n");
        await using var hostile = HostileS3Server.Start(r => r.RespondErrorAsync(400, "OddRequest", $"the token {r.Header("x-amz-security-token")} (key {ProfileSecret}) is not valid"));
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["AWS_SHARED_CREDENTIALS_FILE"] = credentials,
            ["AWS_CONFIG_FILE"] = config,
            ["AWS_ACCESS_KEY_ID"] = string.Empty,
            ["AWS_SECRET_ACCESS_KEY"] = string.Empty,
            ["AWS_SESSION_TOKEN"] = string.Empty,
            ["AWS_PROFILE"] = string.Empty,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };
        using var child = SyncProcess.Start(environment, mode == "--plain" ? ["ls", hostile.Location("x")] : ["ls", hostile.Location("x"), mode]);

        int exitCode = await child.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.NotEqual(0, exitCode);
        Assert.Contains(hostile.Requests, r => r.Header("x-amz-security-token") == Token);
        Assert.Contains("the token *** (key ***)", child.Stdout + child.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, child.Stdout + child.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(ProfileSecret, child.Stdout + child.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Spellings the grammar accepts as the secret option: percent-encoded names and any case.</summary>
    public static TheoryData<string, string> AcceptedSpellings => Cross(
        "&access_key=SOMEKEY&secret%5Fkey=" + UriSecret,
        "&access_key=SOMEKEY&%73ecret_key=" + UriSecret,
        "&Access_Key=SOMEKEY&Secret_Key=" + UriSecret);

    /// <summary>Secrets the grammar refuses (exit 2): repeated, after '#' or a second '?', in an endpoint's user info.</summary>
    public static TheoryData<string, string> RefusedSpellings => Cross(
        "&secret_key=" + UriSecret + "&secret_key=" + UriSecret,
        "#&secret_key=" + UriSecret,
        "#secret_key=" + UriSecret,
        "?secret_key=" + UriSecret,
        "&endpoint_override=http://user:" + UriSecret + "@localhost:9000",
        "&endpoint_override=http%3A%2F%2Fuser%3A" + UriSecret + "%40localhost");

    /// <summary>Options that are no secret option (misspelled, double-encoded): refused as unknown, the value still hidden.</summary>
    public static TheoryData<string, string> UnknownOptionSpellings => Cross("&secret%255Fkey=" + UriSecret, "&secret_kye=" + UriSecret);

    [Theory]
    [MemberData(nameof(AcceptedSpellings))]
    public async Task SecretInAnyAcceptedSpelling_IsShownMasked_OnSuccessAndOnAnError(string spelling, string mode)
    {
        _temp.Write("local/a.txt", "alpha");

        var up = await SyncRun.RunAsync(new TestConsole(), Args("up", _temp.Combine("local"), server.Location($"creds/{Guid.NewGuid():N}") + spelling, mode), registry: server.Registry);
        var down = await SyncRun.RunAsync(new TestConsole(), Args("down", server.Location("nothing-here") + spelling, _temp.Combine("restore"), mode), registry: server.Registry);

        Assert.Equal((0, 3), (up.ExitCode, down.ExitCode));
        Assert.Contains("secret_key=***", up.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(UriSecret, up.Stdout + up.Stderr + down.Stdout + down.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RefusedSpellings))]
    [MemberData(nameof(UnknownOptionSpellings))]
    public async Task SecretInARefusedSpelling_IsNeverShown_InTheError(string spelling, string mode)
    {
        var result = await SyncRun.RunAsync(new TestConsole(), Args("down", server.Location("x") + spelling, _temp.Combine("restore"), mode), registry: server.Registry);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is not a supported storage location", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(UriSecret, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>A secret with an unescaped '&amp;' or '#': the tail is a bare word or a fragment, never shown (in any case).</summary>
    public static TheoryData<string, string> TailSpellings => Cross(
        "&secret_key=abcd&" + UriSecret + "&scheme=http",
        "&secret_key=abcd#" + UriSecret);

    [Theory]
    [MemberData(nameof(TailSpellings))]
    public async Task SecretTailAfterAnUnescapedAmpersandOrHash_IsNeverShown(string spelling, string mode)
    {
        var up = await SyncRun.RunAsync(new TestConsole(), Args("up", _temp.Combine("local"), server.Location("x") + spelling, mode), registry: server.Registry);
        string[] validate = ["validate", "--upload-dir", "s3://bucket/p?region=us-east-1" + spelling];
        var checkedArgs = await SyncRun.RunAsync(new TestConsole(), mode == "--plain" ? validate : [.. validate, mode]);

        Assert.Equal(2, up.ExitCode);
        Assert.Contains("is not a supported storage location", up.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(UriSecret, up.Stdout + up.Stderr + checkedArgs.Stdout + checkedArgs.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(TailSpellings))]
    public async Task SecretTailInAConfigFile_IsNeverShown_ByValidate(string spelling, string mode)
    {
        // The file's contents are no argument, so the mask never learns the secret: the grammar's redaction alone hides it.
        string config = _temp.Write("sync.json", "{\"UploadDir\":\"s3://bkt/x?region=us-east-1" + spelling + "\"}");
        string[] args = ["validate", "--config", config];

        var result = await SyncRun.RunAsync(new TestConsole(), mode == "--plain" ? args : [.. args, mode]);

        Assert.Contains("SYNC0", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(UriSecret, result.Stdout + result.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task SecretQuotedByAnExceptionMessage_IsMasked_EvenInTheStackTrace(string mode)
    {
        // A backend that quotes the location it was given, secret and all, as a careless library might.
        var registry = new StorageRegistry().Register("s3", uri => throw new IOException("cannot open " + uri.ToUnredactedString()));
        string location = "s3://bucket/p?access_key=SOMEKEY&secret%5Fkey=" + UriSecret;

        var result = await SyncRun.RunAsync(new TestConsole(), mode == "--plain" ? ["ls", location] : ["ls", location, mode], registry: registry);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("\nerror: cannot open s3://bucket/p?access_key=***&secret_key=***\n", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(mode == "--verbose", result.Stderr.Contains("   at ", StringComparison.Ordinal));
        Assert.DoesNotContain(UriSecret, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--plain", true)]
    [InlineData("--verbose", true)]
    [InlineData("-q", false)]
    [InlineData("--only-show-errors", false)]
    public async Task ACredentialInTheLocation_IsWarnedAbout_UnlessOnlyErrorsAreAskedFor(string mode, bool warned)
    {
        var registry = new StorageRegistry().Register("s3", uri => throw new IOException("cannot open " + uri.ToUnredactedString()));
        string location = "s3://bucket/p?access_key=SOMEKEY&secret_key=" + UriSecret;

        var result = await SyncRun.RunAsync(new TestConsole(), mode == "--plain" ? ["ls", location] : ["ls", location, mode], registry: registry);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(warned, result.Stderr.Contains("warning: SYNC007: ", StringComparison.Ordinal));
        Assert.Contains("error: cannot open s3://bucket/p?access_key=***&secret_key=***", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(UriSecret, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AcceptedSpellings))]
    [MemberData(nameof(RefusedSpellings))]
    public async Task Validate_FlagsEverySpelling_WithSync007_AndNeverShowsTheSecret(string spelling, string mode)
    {
        string[] args = ["validate", "--upload-dir", "s3://bucket/p?region=us-east-1" + spelling];

        var result = await SyncRun.RunAsync(new TestConsole(), mode == "--plain" ? args : [.. args, mode]);

        Assert.Contains("SYNC007", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(UriSecret, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    private static TheoryData<string, string> Cross(params string[] spellings)
    {
        var data = new TheoryData<string, string>();
        foreach (string spelling in spellings)
        {
            foreach (string mode in new[] { "--plain", "--verbose", "--json" })
            {
                data.Add(spelling, mode);
            }
        }

        return data;
    }

    private static string WithSecret(string location) => location + "&access_key=SOMEKEY&secret_key=" + UriSecret;

    private static string[] Args(string command, string from, string to, string mode) =>
        mode == "--plain" ? [command, from, to] : [command, from, to, mode];
}
