using static SyncTooling.Analyzers.Tests.TestSources;
using Verify = SyncTooling.Analyzers.Tests.Testing.SyncAnalyzerTest<SyncTooling.Analyzers.InvalidBucketNameAnalyzer>;

namespace SyncTooling.Analyzers.Tests.Rules;

public class InvalidBucketNameAnalyzerTests
{
    [Theory]
    [InlineData("s3://ab/x")]
    [InlineData("s3://My_Bucket/x")]
    [InlineData("s3://-bucket/x")]
    [InlineData("s3://my..bucket/x")]
    [InlineData("s3://192.168.1.1/x")]
    [InlineData("gs://UPPER/x")]
    [InlineData("az://ab/x")]
    [InlineData("az://double--dash/x")]
    [InlineData("abfss://My_Runs@acct1.dfs.core.windows.net/x")]
    public Task RejectedBucketNames(string location) => Verify.VerifyAsync(InClass($$"""
            SyncConfig M() => new SyncConfig { UploadDir = [|"{{location}}"|] };
            void N(Syncer s) => s.SyncUp("/local", [|"{{location}}"|]);
        """));

    [Fact]
    public Task Message_SaysWhatIsWrong() => Verify.VerifyMessageAsync(
        InClass("""
                SyncConfig M() => new SyncConfig { UploadDir = {|#0:"s3://ab/x"|} };
            """),
        "UploadDir: 'ab' is not a valid bucket name: bucket names are 3 to 63 characters long.");

    [Fact]
    public Task Message_NamesTheAzureContainer() => Verify.VerifyMessageAsync(
        InClass("""
                SyncConfig M() => new SyncConfig { UploadDir = {|#0:"abfss://My_Runs@acct1.dfs.core.windows.net/x"|} };
            """),
        "UploadDir: 'My_Runs' is not a valid container name: container names use only lower-case letters, digits and '-'.");

    [Theory]
    [InlineData("s3://my-bucket.example/x")]
    [InlineData("gs://my_bucket/x")]
    [InlineData("memory://ab/x")]
    [InlineData("hdfs://NameNode:9870/x")]
    [InlineData("az://runs-2024/x")]
    [InlineData("abfs://runs@acct1.dfs.core.windows.net/x")]
    public Task AcceptedNames_AndSchemesWithoutBuckets(string location) => Verify.VerifyAsync(InClass($$"""
            SyncConfig M() => new SyncConfig { UploadDir = "{{location}}" };
        """));

    [Fact]
    public Task NotConstant_NoDiagnostic() => Verify.VerifyAsync(InClass("""
            SyncConfig M(string bucket) => new SyncConfig { UploadDir = $"s3://{bucket}/x" };
        """));
}
