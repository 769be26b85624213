using static SyncTooling.Analyzers.Tests.TestSources;
using Verify = SyncTooling.Analyzers.Tests.Verifiers.AnalyzerVerifier<SyncTooling.Analyzers.CredentialsInLocationAnalyzer>;

namespace SyncTooling.Analyzers.Tests.Rules;

public class CredentialsInLocationAnalyzerTests
{
    [Theory]
    [InlineData("s3://bucket/x?access_key=AKIA123&secret_key=abc")]
    [InlineData("s3://bucket/x?SECRET_KEY=abc")]
    [InlineData("gs://bucket/x?session_token=t")]
    [InlineData("hdfs://user:password@namenode:9870/x")]
    public Task CredentialsInUploadDirOrRemoteArgument(string location) => Verify.VerifyAsync(InClass($$"""
            SyncConfig M() => new SyncConfig { UploadDir = [|"{{location}}"|] };
            void N(Syncer s) => s.Delete([|"{{location}}"|]);
        """));

    [Fact]
    public async Task Message_RedactsTheSecret()
    {
        string message = await Verify.SingleMessageAsync(InClass("""
                SyncConfig M() => new SyncConfig { UploadDir = "s3://bucket/x?secret_key=abc" };
            """));

        Assert.Equal(
            "UploadDir 's3://bucket/x?secret_key=***' contains credentials; they end up in logs and source control. Use environment variables, a shared credentials file or an instance role.",
            message);
    }

    [Theory]
    [InlineData("s3://bucket/x?region=eu-west-1")]
    [InlineData("hdfs://namenode:9870/x?user=alice")]
    [InlineData("/data/user:password@host")]
    public Task NoCredentials(string location) => Verify.VerifyAsync(InClass($$"""
            SyncConfig M() => new SyncConfig { UploadDir = "{{location}}" };
        """));

    [Fact]
    public Task NotConstant_NoDiagnostic() => Verify.VerifyAsync(InClass("""
            SyncConfig M(string key) => new SyncConfig { UploadDir = "s3://bucket/x?secret_key=" + key };
            void N(Syncer s, string key) => s.Delete($"s3://bucket/x?secret_key={key}");
        """));
}
