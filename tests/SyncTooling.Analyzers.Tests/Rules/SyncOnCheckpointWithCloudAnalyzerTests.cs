using static SyncTooling.Analyzers.Tests.TestSources;
using Verify = SyncTooling.Analyzers.Tests.Testing.SyncAnalyzerTest<SyncTooling.Analyzers.SyncOnCheckpointWithCloudAnalyzer>;
using VerifyFix = SyncTooling.Analyzers.Tests.Testing.SyncCodeFixTest<SyncTooling.Analyzers.SyncOnCheckpointWithCloudAnalyzer, SyncTooling.Analyzers.CodeFixes.RemoveSyncOnCheckpointCodeFix>;

namespace SyncTooling.Analyzers.Tests.Rules;

public class SyncOnCheckpointWithCloudAnalyzerTests
{
    [Fact]
    public Task CloudUploadDir_FlagsTheAssignment() => Verify.VerifyAsync(InClass("""
            const string Bucket = "s3://bucket";
            SyncConfig A() => new SyncConfig { UploadDir = "s3://bucket/x", [|SyncOnCheckpoint = false|] };
            SyncConfig B(bool flag) => new SyncConfig { [|SyncOnCheckpoint = flag|], UploadDir = "gs://bucket/x" };
            SyncConfig C(SyncConfig c) => c with { UploadDir = Bucket + "/y", [|SyncOnCheckpoint = true|] };
            SyncConfig D() => new SyncConfig { UploadDir = "az://runs/x", [|SyncOnCheckpoint = false|] };
            SyncConfig E() => new SyncConfig { UploadDir = "abfss://runs@acct1.dfs.core.windows.net/x", [|SyncOnCheckpoint = false|] };
        """));

    [Fact]
    public Task LocalStorage_OrNotSet_NoDiagnostic() => Verify.VerifyAsync(InClass("""
            SyncConfig A() => new SyncConfig { UploadDir = "/mnt/nfs/x", SyncOnCheckpoint = false };
            SyncConfig B() => new SyncConfig { UploadDir = "hdfs://nn:9870/x", SyncOnCheckpoint = false };
            SyncConfig C() => new SyncConfig { UploadDir = "s3://bucket/x" };
            SyncConfig D() => new SyncConfig { SyncOnCheckpoint = false };
        """));

    [Fact]
    public Task NotConstant_NoDiagnostic() => Verify.VerifyAsync(InClass("""
            SyncConfig A(string dir) => new SyncConfig { UploadDir = dir, SyncOnCheckpoint = false };
            SyncConfig B(SyncConfig c) => c with { SyncOnCheckpoint = false };
        """));

    [Fact]
    public Task Fix_RemovesTheAssignment_OnOneLine() => VerifyFix.VerifyAsync(
        InClass("""
            SyncConfig A() => new SyncConfig { UploadDir = "s3://bucket/x", [|SyncOnCheckpoint = false|] };
            SyncConfig B() => new SyncConfig { [|SyncOnCheckpoint = false|], UploadDir = "s3://bucket/x" };
        """),
        InClass("""
            SyncConfig A() => new SyncConfig { UploadDir = "s3://bucket/x" };
            SyncConfig B() => new SyncConfig { UploadDir = "s3://bucket/x" };
        """));

    [Fact]
    public Task Fix_RemovesTheLine_InAMultiLineInitializer() => VerifyFix.VerifyAsync(
        InClass("""
            SyncConfig A() => new SyncConfig
            {
                UploadDir = "s3://bucket/x",
                [|SyncOnCheckpoint = false|],
                SyncArtifacts = true,
            };
            SyncConfig B() => new SyncConfig
            {
                UploadDir = "s3://bucket/x",
                [|SyncOnCheckpoint = false|]
            };
        """),
        InClass("""
            SyncConfig A() => new SyncConfig
            {
                UploadDir = "s3://bucket/x",
                SyncArtifacts = true,
            };
            SyncConfig B() => new SyncConfig
            {
                UploadDir = "s3://bucket/x"
            };
        """));

    [Fact]
    public Task FixAll_RemovesEveryAssignment() => VerifyFix.VerifyFixAllAsync(
        InClass("""
            SyncConfig A() => new SyncConfig { UploadDir = "s3://bucket/x", [|SyncOnCheckpoint = false|] };
            SyncConfig B(SyncConfig c) => c with { [|SyncOnCheckpoint = true|], UploadDir = "gs://bucket/y" };
        """),
        InClass("""
            SyncConfig A() => new SyncConfig { UploadDir = "s3://bucket/x" };
            SyncConfig B(SyncConfig c) => c with { UploadDir = "gs://bucket/y" };
        """));
}
