using static SyncTooling.Analyzers.Tests.TestSources;
using Verify = SyncTooling.Analyzers.Tests.Testing.SyncAnalyzerTest<SyncTooling.Analyzers.NonPositiveDurationAnalyzer>;

namespace SyncTooling.Analyzers.Tests.Rules;

public class NonPositiveDurationAnalyzerTests
{
    [Fact]
    public Task ZeroOrNegativeConstants() => Verify.VerifyAsync(InClass("""
            const int Seconds = -5;
            SyncConfig A() => new SyncConfig { SyncPeriod = [|TimeSpan.Zero|], SyncTimeout = [|TimeSpan.FromSeconds(-1)|] };
            SyncConfig B() => new SyncConfig { SyncPeriod = [|TimeSpan.FromMinutes(0.0)|] };
            SyncConfig C() => new SyncConfig { SyncTimeout = [|TimeSpan.FromSeconds(Seconds)|] };
            SyncConfig D() => new SyncConfig { SyncTimeout = [|new TimeSpan(0, 0, -30)|] };
            SyncConfig E() => new SyncConfig { SyncPeriod = [|default|] };
            SyncConfig F() => new SyncConfig { SyncPeriod = [|-TimeSpan.FromHours(1)|] };
            SyncConfig G(SyncConfig c) => c with { SyncTimeout = [|TimeSpan.FromMilliseconds(0)|] };
            SyncConfig H() => new SyncConfig { SyncPeriod = [|TimeSpan.FromSeconds(1, -1000)|] };
        """));

    [Fact]
    public Task Message_NamesThePropertyAndValue() => Verify.VerifyMessageAsync(
        InClass("""
                SyncConfig M() => new SyncConfig { SyncTimeout = {|#0:TimeSpan.FromSeconds(-1)|} };
            """),
        "SyncTimeout is -00:00:01; it must be greater than zero.");

    [Fact]
    public Task PositiveConstants_NoDiagnostic() => Verify.VerifyAsync(InClass("""
            SyncConfig A() => new SyncConfig { SyncPeriod = TimeSpan.FromSeconds(1), SyncTimeout = TimeSpan.FromTicks(1) };
            SyncConfig B() => new SyncConfig { SyncPeriod = new TimeSpan(0, 5, 0), SyncTimeout = TimeSpan.MaxValue };
        """));

    [Fact]
    public Task NotConstant_NoDiagnostic() => Verify.VerifyAsync(InClass("""
            static readonly TimeSpan Period = TimeSpan.Zero;
            SyncConfig A(int s) => new SyncConfig { SyncPeriod = TimeSpan.FromSeconds(s) };
            SyncConfig B() => new SyncConfig { SyncPeriod = Period };
            SyncConfig C(TimeSpan t) => new SyncConfig { SyncTimeout = t - TimeSpan.FromDays(1) };
        """));
}
