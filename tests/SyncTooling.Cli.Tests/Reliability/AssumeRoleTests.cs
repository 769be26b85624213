using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests.Reliability;

/// <summary>
/// Credentials that come from AWS STS: a profile that assumes a role (role_arn + source_profile) and a web identity
/// token in the environment (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE, as EKS and CI runners set them). A tiny STS on
/// 127.0.0.1 (AWS_ENDPOINT_URL_STS) hands out s3rver's keys with a session token; the tool runs as a process so the
/// SDK reads only this test's environment and files.
/// </summary>
[Collection("s3rver")]
public sealed class AssumeRoleTests(S3Server server) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AProfileThatAssumesARole_GetsItsKeysFromSts_SignedWithTheSourceProfile()
    {
        await using var sts = FakeSts.Start();
        _temp.Write("aws/config", "[profile runner]\nrole_arn = arn:aws:iam::123456789012:role/sync\nsource_profile = base\nregion = us-east-1\n");
        _temp.Write("aws/credentials", "[base]\naws_access_key_id = BASEKEYID\naws_secret_access_key = BaseSecretValue123\n");
        _temp.Write("local/a.txt", "alpha");
        string remote = server.Location($"role/{Guid.NewGuid():N}") + "&profile=runner";

        using var child = SyncProcess.Start(sts.EnvironmentFor(_temp), "up", _temp.Combine("local"), remote, "--retries", "0", "--json");
        int exit = await child.WaitForExitAsync(Bound);

        Assert.True(exit == 0, child.Stdout + child.Stderr);
        Assert.Contains("\"filesTransferred\":1", child.Stdout, StringComparison.Ordinal);
        var request = Assert.Single(sts.Requests);
        Assert.Contains("Action=AssumeRole", request.Body, StringComparison.Ordinal);
        Assert.Contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fsync", request.Body, StringComparison.Ordinal);
        Assert.Contains("Credential=BASEKEYID/", request.Authorization, StringComparison.Ordinal);
        Assert.DoesNotContain("BaseSecretValue123", child.Stdout + child.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWebIdentityTokenInTheEnvironment_IsExchangedAtSts_ForTheKeys()
    {
        await using var sts = FakeSts.Start();
        _temp.Write("token", "eyJhbGciOiJSUzI1NiJ9.ci-runner-token.sig");
        _temp.Write("local/a.txt", "alpha");
        var environment = sts.EnvironmentFor(_temp);
        environment["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/ci";
        environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = _temp.Combine("token");
        environment["AWS_ROLE_SESSION_NAME"] = "sync-test";

        using var child = SyncProcess.Start(environment, "up", _temp.Combine("local"), server.Location($"oidc/{Guid.NewGuid():N}"), "--retries", "0", "--json");
        int exit = await child.WaitForExitAsync(Bound);

        Assert.True(exit == 0, child.Stdout + child.Stderr);
        Assert.Contains("\"filesTransferred\":1", child.Stdout, StringComparison.Ordinal);
        var request = Assert.Single(sts.Requests);
        Assert.Contains("Action=AssumeRoleWithWebIdentity", request.Body, StringComparison.Ordinal);
        Assert.Contains("WebIdentityToken=eyJhbGciOiJSUzI1NiJ9.ci-runner-token.sig", request.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("ci-runner-token", child.Stdout + child.Stderr, StringComparison.Ordinal);
    }
}
