using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests.Reliability;

/// <summary>
/// A malformed AWS config or credentials file: the SDK reads it in a type initializer, so each case runs the tool as a
/// process of its own (a test process keeps the first file it read). One clear line, exit 1, the line never quoted.
/// </summary>
public sealed class ProfileFileErrorTests : IDisposable
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("config", "[default]\nregion = us-east-1\naws_secret_access_key: " + Secret + "\n", 3, null)]
    [InlineData("credentials", "[default]\naws_access_key_id = AKIDEXAMPLE\n\n" + Secret + "\n", 4, null)]
    [InlineData("config", "[default]\nregion = us-east-1\naws_secret_access_key: " + Secret + "\n", 3, "default")]
    public async Task AMalformedLine_IsOneErrorNamingTheFileAndLine_AndNeverShowsIt(string which, string content, int line, string? profile)
    {
        _temp.Write("aws/config", "[default]\nregion = us-east-1\n");
        _temp.Write("aws/credentials", "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = AnotherSecretValue12345\n");
        _temp.Write("aws/" + which, content);
        _temp.Write("local/a.txt", "alpha");
        var environment = new Dictionary<string, string>
        {
            ["AWS_CONFIG_FILE"] = _temp.Combine("aws", "config"),
            ["AWS_SHARED_CREDENTIALS_FILE"] = _temp.Combine("aws", "credentials"),
            ["AWS_ACCESS_KEY_ID"] = string.Empty,
            ["AWS_SECRET_ACCESS_KEY"] = string.Empty,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["HOME"] = _temp.Combine("home"),
        };

        string remote = "s3://synctooling-test/run?endpoint_override=127.0.0.1:1&scheme=http" + (profile is null ? string.Empty : "&profile=" + profile);
        using var child = SyncProcess.Start(environment, "up", _temp.Combine("local"), remote, "--retries", "0");
        int exit = await child.WaitForExitAsync(Bound);

        Assert.Equal(1, exit);
        string error = Assert.Single(child.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(
            $"error: The AWS profile files could not be read: line {line} of {_temp.Combine("aws", which)} is not a [section], a key = value or a comment (the line is not shown: it may hold a secret). Fix that line, or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at other files.",
            error);
        Assert.DoesNotContain(Secret, child.Stdout + child.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected", child.Stdout + child.Stderr, StringComparison.Ordinal);
    }
}
