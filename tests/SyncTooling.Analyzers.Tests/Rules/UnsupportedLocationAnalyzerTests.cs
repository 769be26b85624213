using SyncTooling.Analyzers.CodeFixes;
using static SyncTooling.Analyzers.Tests.TestSources;
using Verify = SyncTooling.Analyzers.Tests.Testing.SyncAnalyzerTest<SyncTooling.Analyzers.UnsupportedLocationAnalyzer>;
using VerifyFix = SyncTooling.Analyzers.Tests.Testing.SyncCodeFixTest<SyncTooling.Analyzers.UnsupportedLocationAnalyzer, SyncTooling.Analyzers.CodeFixes.StorageSchemeCodeFix>;

namespace SyncTooling.Analyzers.Tests.Rules;

public class UnsupportedLocationAnalyzerTests
{
    public class Positive
    {
        [Theory]
        [InlineData("ftp://host/dir")]
        [InlineData("s3a://bucket/dir")]
        [InlineData("relative/dir")]
        [InlineData("s3://")]
        [InlineData("hdfs:///path")]
        [InlineData("S3://bucket/dir")]
        [InlineData("s3:bucket")]
        [InlineData("az://")]
        [InlineData("abfs://runs@/dir")]
        [InlineData("az://runs/dir?region=x")]
        public Task UploadDir_NotSupported(string location) => Verify.VerifyAsync(InClass($$"""
                SyncConfig M() => new SyncConfig { UploadDir = [|"{{location}}"|] };
            """));

        [Fact]
        public Task ConstFieldConcatenationAndInterpolation_AreFolded() => Verify.VerifyAsync(InClass("""
                const string Scheme = "ftp";
                const string Bucket = "bucket";
                SyncConfig A() => new SyncConfig { UploadDir = [|Scheme + "://" + Bucket|] };
                SyncConfig B() => new() { UploadDir = [|$"{Scheme}://{Bucket}/x"|] };
                SyncConfig C(SyncConfig c) => c with { UploadDir = [|"gcs://" + Bucket|] };
            """));

        [Fact]
        public Task RemoteArguments_OfEverySyncOperation() => Verify.VerifyAsync(InClass("""
                async Task M(Syncer s, MySyncer m)
                {
                    s.SyncUp("/local", [|"s3a://b1b/x"|]);
                    s.SyncDown([|"s3a://b1b/x"|], "/local");
                    s.Delete([|"ftp://h/x"|]);
                    s.SyncUpIfNeeded("/local", [|"ftp://h/x"|]);
                    s.SyncDownIfNeeded([|"ftp://h/x"|], "relative/local/is/fine");
                    await s.SyncUpAsync("/local", [|"ftp://h/x"|]);
                    await s.SyncDownAsync(localDir: "/local", remoteDir: [|"ftp://h/x"|]);
                    await m.DeleteAsync([|"ftp://h/x"|]);
                }
            """));

        [Fact]
        public Task Message_NamesTheSupportedSchemes() => Verify.VerifyMessageAsync(
            InClass("""
                    SyncConfig M() => new SyncConfig { UploadDir = {|#0:"s3a://bucket/dir"|} };
                """),
            "UploadDir: 's3a://bucket/dir' is not a supported storage location: 's3a://' is another tool's name for s3://; write 's3://'. Supported: a local path, file:///path, memory://name/path, s3://bucket/prefix, gs://bucket/prefix, hdfs://host:port/path, az://container/prefix, abfs[s]://container@account.dfs.core.windows.net/prefix.");
    }

    public class Negative
    {
        [Theory]
        [InlineData("s3://bucket/dir?region=eu-west-1")]
        [InlineData("gs://bucket/dir")]
        [InlineData("hdfs://namenode:9870/dir")]
        [InlineData("az://runs/dir?endpoint=http://127.0.0.1:10000/devstoreaccount1")]
        [InlineData("abfs://runs@acct1.dfs.core.windows.net/dir")]
        [InlineData("abfss://runs@acct1.dfs.core.windows.net/dir?account_key=x")]
        [InlineData("memory://demo/run")]
        [InlineData("file:///data/out")]
        [InlineData("/data/out")]
        [InlineData("C:/data/out")]
        public Task SupportedLocations(string location) => Verify.VerifyAsync(InClass($$"""
                SyncConfig M() => new SyncConfig { UploadDir = "{{location}}" };
                void N(Syncer s) => s.SyncUp("/local", "{{location}}");
            """));

        [Fact]
        public Task NoUploadDir_OrNull() => Verify.VerifyAsync(InClass("""
                SyncConfig A() => new SyncConfig();
                SyncConfig B() => new SyncConfig { UploadDir = null };
            """));

        [Fact]
        public Task TheRemoteOfACommandSyncer_IsTheToolsOwn() => Verify.VerifyAsync(InClass("""
                void M(CommandSyncer rsync, Syncer plain)
                {
                    rsync.SyncUp("/local", "backup-host:/srv/runs");
                    rsync.SyncDown("remote:bucket/runs", "/local");
                    rsync.Delete("backup-host:/srv/runs");
                    plain.SyncUp("/local", [|"backup-host:/srv/runs"|]);
                }
            """));

        [Fact]
        public Task OtherTypesAndMethods_AreIgnored() => Verify.VerifyAsync(InClass("""
                record Other { public string? UploadDir { get; init; } }
                Other A() => new Other { UploadDir = "ftp://h/x" };
                void Delete(string remoteDir) { }
                void B() => Delete("ftp://h/x");
            """));
    }

    public class NotConstant
    {
        [Fact]
        public Task VariablesParametersAndCalls_GetNoDiagnostic() => Verify.VerifyAsync(InClass("""
                static readonly string Location = "ftp://h/x";
                SyncConfig A(string dir) => new SyncConfig { UploadDir = dir };
                SyncConfig B() => new SyncConfig { UploadDir = Location };
                SyncConfig C() => new SyncConfig { UploadDir = Environment.GetEnvironmentVariable("DIR") };
                SyncConfig D(int n) => new SyncConfig { UploadDir = $"ftp://h/{n}" };
                void E(Syncer s, string remote) => s.SyncUp("/local", remote);
            """));
    }

    public class CodeFix
    {
        [Theory]
        [InlineData("s3a://bucket/dir", "s3://bucket/dir")]
        [InlineData("s3n://bucket/dir", "s3://bucket/dir")]
        [InlineData("gcs://bucket/dir", "gs://bucket/dir")]
        [InlineData("S3://bucket/dir", "s3://bucket/dir")]
        [InlineData("S3A://bucket/dir?region=x", "s3://bucket/dir?region=x")]
        [InlineData("Memory://demo/run", "memory://demo/run")]
        public Task RewritesTheScheme(string written, string corrected) => VerifyFix.VerifyAsync(
            InClass($$"""
                SyncConfig M() => new SyncConfig { UploadDir = [|"{{written}}"|] };
            """),
            InClass($$"""
                SyncConfig M() => new SyncConfig { UploadDir = "{{corrected}}" };
            """));

        [Fact]
        public Task NoFix_WhenTheCorrectionStillFails_OrTheValueIsNotALiteral() => VerifyFix.VerifyAsync(
            InClass("""
                const string Alias = "s3a://bucket/dir";
                SyncConfig A() => new SyncConfig { UploadDir = [|"ftp://h/x"|] };
                SyncConfig B() => new SyncConfig { UploadDir = [|"S3A://b/x?colour=red"|] };
                SyncConfig C() => new SyncConfig { UploadDir = [|Alias|] };
            """),
            InClass("""
                const string Alias = "s3a://bucket/dir";
                SyncConfig A() => new SyncConfig { UploadDir = [|"ftp://h/x"|] };
                SyncConfig B() => new SyncConfig { UploadDir = [|"S3A://b/x?colour=red"|] };
                SyncConfig C() => new SyncConfig { UploadDir = [|Alias|] };
            """));

        [Fact]
        public Task FixAll_RewritesEveryLiteralInTheDocument() => VerifyFix.VerifyFixAllAsync(
            InClass("""
                SyncConfig A() => new SyncConfig { UploadDir = [|"s3a://bucket/a"|] };
                void B(Syncer s) => s.SyncDown([|"S3N://bucket/b"|], "/local");
            """),
            InClass("""
                SyncConfig A() => new SyncConfig { UploadDir = "s3://bucket/a" };
                void B(Syncer s) => s.SyncDown("s3://bucket/b", "/local");
            """));

        [Fact]
        public void IsExportedForTheRule() =>
            Assert.Contains("SYNC001", new StorageSchemeCodeFix().FixableDiagnosticIds);
    }
}
