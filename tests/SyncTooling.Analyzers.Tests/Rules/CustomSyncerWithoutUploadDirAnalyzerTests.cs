using static SyncTooling.Analyzers.Tests.TestSources;
using Verify = SyncTooling.Analyzers.Tests.Testing.SyncAnalyzerTest<SyncTooling.Analyzers.CustomSyncerWithoutUploadDirAnalyzer>;

namespace SyncTooling.Analyzers.Tests.Rules;

public class CustomSyncerWithoutUploadDirAnalyzerTests
{
    [Fact]
    public Task CustomSyncer_WithoutUploadDir() => Verify.VerifyAsync(InClass("""
            SyncConfig A() => new SyncConfig { [|Syncer = new MySyncer()|] };
            SyncConfig B() => new SyncConfig { UploadDir = null, [|Syncer = new MySyncer()|] };
            SyncConfig C(SyncConfig c) => c with { UploadDir = null, [|Syncer = new MySyncer()|] };
        """));

    [Fact]
    public Task WithUploadDir_OrAutoOrDisabled_NoDiagnostic() => Verify.VerifyAsync(InClass("""
            SyncConfig A() => new SyncConfig { UploadDir = "/data", Syncer = new MySyncer() };
            SyncConfig B() => new SyncConfig { Syncer = Syncer.Auto };
            SyncConfig C() => new SyncConfig { Syncer = null };
        """));

    [Fact]
    public Task NotConstant_NoDiagnostic() => Verify.VerifyAsync(InClass("""
            SyncConfig A(Syncer s) => new SyncConfig { Syncer = s };
            SyncConfig B(string? dir) => new SyncConfig { UploadDir = dir, Syncer = new MySyncer() };
            SyncConfig C(SyncConfig c) => c with { Syncer = new MySyncer() };
        """));
}
