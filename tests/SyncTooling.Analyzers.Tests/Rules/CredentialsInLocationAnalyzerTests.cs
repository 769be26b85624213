using static SyncTooling.Analyzers.Tests.TestSources;
using Verify = SyncTooling.Analyzers.Tests.Testing.SyncAnalyzerTest<SyncTooling.Analyzers.CredentialsInLocationAnalyzer>;

namespace SyncTooling.Analyzers.Tests.Rules;

public class CredentialsInLocationAnalyzerTests
{
    [Theory]
    [InlineData("s3://bucket/x?access_key=AKIA123&secret_key=abc")]
    [InlineData("s3://bucket/x?SECRET_KEY=abc")]
    [InlineData("gs://bucket/x?session_token=t")]
    [InlineData("hdfs://user:password@namenode:9870/x")]
    [InlineData("az://runs/x?account_key=a2V5")]
    [InlineData("az://runs/x?sas_token=sv%3D1%26sig%3Dabc")]
    [InlineData("az://runs/x?sv=2024-05-04&sp=racwdl&sig=abc")]
    [InlineData("az://runs/x?connection_string=AccountName%3Da%3BAccountKey%3Db")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=b")]
    public Task CredentialsInUploadDirOrRemoteArgument(string location) => Verify.VerifyAsync(InClass($$"""
            SyncConfig M() => new SyncConfig { UploadDir = [|"{{location}}"|] };
            void N(Syncer s) => s.Delete([|"{{location}}"|]);
        """));

    [Fact]
    public Task Message_RedactsTheSecret() => Verify.VerifyMessageAsync(
        InClass("""
                SyncConfig M() => new SyncConfig { UploadDir = {|#0:"s3://bucket/x?secret_key=abc"|} };
            """),
        "UploadDir 's3://bucket/x?secret_key=***' contains credentials; they end up in logs and source control. Use environment variables, a shared credentials file or an instance role.");

    [Fact]
    // Every option value but the few shown ones is masked, sp= (a SAS token's other fields) too; "abc" is nowhere.
    public Task Message_RedactsTheAzureSignature() => Verify.VerifyMessageAsync(
        InClass("""
                SyncConfig M() => new SyncConfig { UploadDir = {|#0:"az://runs/x?sp=rw&sig=abc"|} };
            """),
        "UploadDir 'az://runs/x?sp=***&sig=***' contains credentials; they end up in logs and source control. Use environment variables, a shared credentials file or an instance role.");

    [Theory]
    [InlineData("s3://bucket/x?region=eu-west-1")]
    [InlineData("hdfs://namenode:9870/x?user=alice")]
    [InlineData("/data/user:password@host")]
    [InlineData("abfss://runs@acct1.dfs.core.windows.net/x?endpoint=https://acct1.blob.core.windows.net")]
    public Task NoCredentials(string location) => Verify.VerifyAsync(InClass($$"""
            SyncConfig M() => new SyncConfig { UploadDir = "{{location}}" };
        """));

    [Fact]
    public Task NotConstant_NoDiagnostic() => Verify.VerifyAsync(InClass("""
            SyncConfig M(string key) => new SyncConfig { UploadDir = "s3://bucket/x?secret_key=" + key };
            void N(Syncer s, string key) => s.Delete($"s3://bucket/x?secret_key={key}");
        """));
}
