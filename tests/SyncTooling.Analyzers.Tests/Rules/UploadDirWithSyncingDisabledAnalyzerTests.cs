using static SyncTooling.Analyzers.Tests.TestSources;
using Verify = SyncTooling.Analyzers.Tests.Testing.SyncAnalyzerTest<SyncTooling.Analyzers.UploadDirWithSyncingDisabledAnalyzer>;
using VerifyFix = SyncTooling.Analyzers.Tests.Testing.SyncCodeFixTest<SyncTooling.Analyzers.UploadDirWithSyncingDisabledAnalyzer, SyncTooling.Analyzers.CodeFixes.RemoveDisabledSyncerCodeFix>;

namespace SyncTooling.Analyzers.Tests.Rules;

public class UploadDirWithSyncingDisabledAnalyzerTests
{
    [Fact]
    public Task UploadDirWithSyncerNull() => Verify.VerifyAsync(InClass("""
            const Syncer? None = null;
            SyncConfig A() => new SyncConfig { UploadDir = "s3://bucket/x", [|Syncer = null|] };
            SyncConfig B() => new SyncConfig { [|Syncer = null|], UploadDir = "relative" };
            SyncConfig C(SyncConfig c) => c with { UploadDir = "/data", [|Syncer = None|] };
        """));

    [Fact]
    public Task SyncingEnabled_OrNoUploadDir_NoDiagnostic() => Verify.VerifyAsync(InClass("""
            SyncConfig A() => new SyncConfig { Syncer = null };
            SyncConfig B() => new SyncConfig { UploadDir = null, Syncer = null };
            SyncConfig C() => new SyncConfig { UploadDir = "/data", Syncer = Syncer.Auto };
            SyncConfig D() => new SyncConfig { UploadDir = "/data", Syncer = new MySyncer() };
        """));

    [Fact]
    public Task NotConstant_NoDiagnostic() => Verify.VerifyAsync(InClass("""
            SyncConfig A(string? dir) => new SyncConfig { UploadDir = dir, Syncer = null };
            SyncConfig B(SyncConfig c) => c with { Syncer = null };
            SyncConfig C(Syncer? s) => new SyncConfig { UploadDir = "/data", Syncer = s };
        """));

    [Fact]
    public Task Fix_RemovesSyncerNull() => VerifyFix.VerifyAsync(
        InClass("""
            SyncConfig A() => new SyncConfig { UploadDir = "s3://bucket/x", [|Syncer = null|] };
            SyncConfig B() => new SyncConfig
            {
                [|Syncer = null|],
                UploadDir = "s3://bucket/x",
            };
            SyncConfig C() => new SyncConfig { UploadDir = "/data", [|Syncer = null|], SyncArtifacts = true };
        """),
        InClass("""
            SyncConfig A() => new SyncConfig { UploadDir = "s3://bucket/x" };
            SyncConfig B() => new SyncConfig
            {
                UploadDir = "s3://bucket/x",
            };
            SyncConfig C() => new SyncConfig { UploadDir = "/data", SyncArtifacts = true };
        """));

    [Fact]
    public Task FixAll_RemovesEverySyncerNull() => VerifyFix.VerifyFixAllAsync(
        InClass("""
            SyncConfig A() => new SyncConfig { UploadDir = "s3://bucket/x", [|Syncer = null|] };
            SyncConfig B() => new SyncConfig { [|Syncer = null|], UploadDir = "/data" };
        """),
        InClass("""
            SyncConfig A() => new SyncConfig { UploadDir = "s3://bucket/x" };
            SyncConfig B() => new SyncConfig { UploadDir = "/data" };
        """));
}
