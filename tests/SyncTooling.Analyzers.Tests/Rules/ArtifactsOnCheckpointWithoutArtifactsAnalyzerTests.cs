using static SyncTooling.Analyzers.Tests.TestSources;
using Verify = SyncTooling.Analyzers.Tests.Testing.SyncAnalyzerTest<SyncTooling.Analyzers.ArtifactsOnCheckpointWithoutArtifactsAnalyzer>;
using VerifyFix = SyncTooling.Analyzers.Tests.Testing.SyncCodeFixTest<SyncTooling.Analyzers.ArtifactsOnCheckpointWithoutArtifactsAnalyzer, SyncTooling.Analyzers.CodeFixes.EnableSyncArtifactsCodeFix>;

namespace SyncTooling.Analyzers.Tests.Rules;

public class ArtifactsOnCheckpointWithoutArtifactsAnalyzerTests
{
    [Fact]
    public Task SetWhileArtifactsOff() => Verify.VerifyAsync(InClass("""
            const bool Off = false;
            SyncConfig A() => new SyncConfig { [|SyncArtifactsOnCheckpoint = true|] };
            SyncConfig B() => new SyncConfig { SyncArtifacts = Off, [|SyncArtifactsOnCheckpoint = false|] };
            SyncConfig C(SyncConfig c) => c with { SyncArtifacts = false, [|SyncArtifactsOnCheckpoint = true|] };
        """));

    [Fact]
    public Task ArtifactsOn_OrNotSet_NoDiagnostic() => Verify.VerifyAsync(InClass("""
            SyncConfig A() => new SyncConfig { SyncArtifacts = true, SyncArtifactsOnCheckpoint = true };
            SyncConfig B() => new SyncConfig { SyncArtifacts = false };
        """));

    [Fact]
    public Task NotConstant_NoDiagnostic() => Verify.VerifyAsync(InClass("""
            SyncConfig A(bool on) => new SyncConfig { SyncArtifacts = on, SyncArtifactsOnCheckpoint = true };
            SyncConfig B(SyncConfig c) => c with { SyncArtifactsOnCheckpoint = true };
        """));

    [Fact]
    public Task Fix_SetsSyncArtifacts() => VerifyFix.VerifyAsync(
        InClass("""
            SyncConfig A() => new SyncConfig { [|SyncArtifactsOnCheckpoint = true|] };
            SyncConfig B() => new SyncConfig { UploadDir = "/data", SyncArtifacts = false, [|SyncArtifactsOnCheckpoint = true|] };
            SyncConfig C() => new SyncConfig
            {
                UploadDir = "/data",
                [|SyncArtifactsOnCheckpoint = true|],
            };
        """),
        InClass("""
            SyncConfig A() => new SyncConfig { SyncArtifacts = true, SyncArtifactsOnCheckpoint = true };
            SyncConfig B() => new SyncConfig { UploadDir = "/data", SyncArtifacts = true, SyncArtifactsOnCheckpoint = true };
            SyncConfig C() => new SyncConfig
            {
                UploadDir = "/data",
                SyncArtifacts = true,
                SyncArtifactsOnCheckpoint = true,
            };
        """));

    [Fact]
    public Task FixAll_SetsSyncArtifactsEverywhere() => VerifyFix.VerifyFixAllAsync(
        InClass("""
            SyncConfig A() => new SyncConfig { [|SyncArtifactsOnCheckpoint = true|] };
            SyncConfig B(SyncConfig c) => c with { SyncArtifacts = false, [|SyncArtifactsOnCheckpoint = false|] };
        """),
        InClass("""
            SyncConfig A() => new SyncConfig { SyncArtifacts = true, SyncArtifactsOnCheckpoint = true };
            SyncConfig B(SyncConfig c) => c with { SyncArtifacts = true, SyncArtifactsOnCheckpoint = false };
        """));
}
