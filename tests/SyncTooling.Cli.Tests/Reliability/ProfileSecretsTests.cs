using SyncTooling.Cli.Output;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests.Reliability;

/// <summary>
/// The profile files are read for secrets to mask without the AWS SDK (so a run that never talks to S3 does not load it);
/// this pins what that reader finds, in the files the SDK's chain reads. The end-to-end case, a server echoing a
/// profile's session token, is <see cref="CredentialLeakTests"/>.
/// </summary>
public sealed class ProfileSecretsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void SecretsOfEveryProfile_InBothFiles_AreFound_AndNothingElse()
    {
        string credentials = _temp.Write("credentials", "[default]\naws_access_key_id = AKIDPLAIN\naws_secret_access_key = secret-one\n\n# aws_secret_access_key = commented-out-but-masked-anyway\n[lab]\n  AWS_SECRET_ACCESS_KEY=secret-two  \naws_session_token = token-three ; the lab's\n");
        string config = _temp.Write("config", "[profile ci]\nregion = eu-west-1\naws_security_token = token-four\noutput = json\n");
        var environment = Environment(("AWS_SHARED_CREDENTIALS_FILE", credentials), ("AWS_CONFIG_FILE", config));

        var secrets = SecretMask.ProfileSecrets(environment).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("secret-one", secrets);
        Assert.Contains("secret-two", secrets);
        Assert.Contains("token-three ; the lab's", secrets);
        Assert.Contains("token-three", secrets);
        Assert.Contains("token-four", secrets);
        Assert.DoesNotContain("AKIDPLAIN", secrets);
        Assert.DoesNotContain("eu-west-1", secrets);
        Assert.DoesNotContain("json", secrets);
    }

    [Fact]
    public void WindowsLineEndings_Tabs_AndAnyCase_StillFindTheSecret()
    {
        string credentials = _temp.Write("credentials", "[default]\r\naws_access_key_id\t=\tAKIDCRLF\r\nAws_Secret_Access_Key\t=\tsecret-crlf\r\n\tAWS_SESSION_TOKEN=token-crlf\r\n");
        var environment = Environment(("AWS_SHARED_CREDENTIALS_FILE", credentials), ("AWS_CONFIG_FILE", _temp.Combine("none")));

        var secrets = SecretMask.ProfileSecrets(environment).ToList();

        Assert.Equal(["secret-crlf", "token-crlf"], secrets);
    }

    [Fact]
    public async Task ANamedPipe_OrAnEndlessDevice_AsAProfileFile_IsPassedOver_WithinSeconds()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string fifo = _temp.Combine("credentials-pipe");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
        }

        string config = _temp.Write("config", "[default]\naws_session_token = token-beside-the-pipe\n");
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var fromPipe = SecretMask.ProfileSecrets(Environment(("AWS_SHARED_CREDENTIALS_FILE", fifo), ("AWS_CONFIG_FILE", config))).ToList();
        var fromZero = SecretMask.ProfileSecrets(Environment(("AWS_SHARED_CREDENTIALS_FILE", "/dev/zero"), ("AWS_CONFIG_FILE", _temp.Combine("none")))).ToList();

        Assert.Equal(["token-beside-the-pipe"], fromPipe);
        Assert.Empty(fromZero);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");

        // The abandoned reader still waits in open(); a writer lets it finish, so no thread is left behind.
        await Task.Run(() => File.WriteAllText(fifo, "")).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void WithoutTheVariables_TheFilesUnderHome_AreRead()
    {
        _temp.Write("home/.aws/credentials", "[default]\naws_secret_access_key = from-home\n");
        _temp.Write("home/.aws/config", "[default]\naws_session_token = token-from-home\n");

        var secrets = SecretMask.ProfileSecrets(Environment(("HOME", _temp.Combine("home")))).ToList();

        Assert.Equal(["from-home", "token-from-home"], secrets);
    }

    [Fact]
    public void MissingFiles_AndAFolderWhereAFileShouldBe_GiveNoSecrets_AndNoError()
    {
        Directory.CreateDirectory(_temp.Combine("home/.aws/credentials"));

        Assert.Empty(SecretMask.ProfileSecrets(Environment(("HOME", _temp.Combine("home")))));
        Assert.Empty(SecretMask.ProfileSecrets(Environment(("AWS_SHARED_CREDENTIALS_FILE", _temp.Combine("none")), ("AWS_CONFIG_FILE", _temp.Combine("home/.aws/credentials")))));
    }

    [Fact]
    public void TheMask_HidesAProfileSecret_InOutput()
    {
        string credentials = _temp.Write("credentials", "[default]\naws_secret_access_key = ProfileSecretValue42\n");
        var mask = SecretMask.From([], Environment(("AWS_SHARED_CREDENTIALS_FILE", credentials), ("AWS_CONFIG_FILE", _temp.Combine("none"))));

        Assert.Equal("the key *** and ***", mask.Apply("the key ProfileSecretValue42 and ProfileSecretValue42"));
    }

    private Func<string, string?> Environment(params (string Name, string Value)[] variables)
    {
        var values = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        // HOME always points into the test's folder, so the user's own profile files are never read.
        values.TryAdd("HOME", _temp.Combine("no-home"));
        return name => values.GetValueOrDefault(name);
    }
}
