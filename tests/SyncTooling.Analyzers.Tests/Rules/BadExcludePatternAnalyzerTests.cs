using static SyncTooling.Analyzers.Tests.TestSources;
using Verify = SyncTooling.Analyzers.Tests.Testing.SyncAnalyzerTest<SyncTooling.Analyzers.BadExcludePatternAnalyzer>;

namespace SyncTooling.Analyzers.Tests.Rules;

public class BadExcludePatternAnalyzerTests
{
    [Fact]
    public Task BadPatterns_InEveryCollectionForm() => Verify.VerifyAsync(InClass("""
            const string Unclosed = "[abc";
            void A(Syncer s) => s.SyncUp("/l", "/r", exclude: ["*.tmp", [|"log[0-9"|]]);
            void B(Syncer s) => s.SyncDown("/r", "/l", new[] { [|"/abs/*"|], "ok/" });
            void C(Syncer s) => s.SyncUpIfNeeded("/l", "/r", new List<string> { [|"./x"|] });
            Task D(Syncer s) => s.SyncDownAsync("/r", "/l", new string[] { [|Unclosed|], [|""|], [|"a\\b"|] });
            SyncOptions E() => new SyncOptions { Exclude = [[|"[!x"|]] };
            SyncOptions F(SyncOptions o) => o with { Exclude = new[] { [|"/x"|] } };
        """));

    [Fact]
    public Task Message_SaysWhyAndShowsTheSyntax() => Verify.VerifyMessageAsync(
        InClass("""
                void A(Syncer s) => s.SyncUp("/l", "/r", [{|#0:"log[0-9"|}]);
            """),
        "Exclude pattern 'log[0-9': '[' opens a character set that is never closed with ']'. Patterns use fnmatch syntax: *, ?, [seq], [!seq].");

    [Fact]
    public Task GoodPatterns_NoDiagnostic() => Verify.VerifyAsync(InClass("""
            void A(Syncer s) => s.SyncUp("/l", "/r", ["*.tmp", "cache/", "[]]x", "[!]]", "log[0-9]*"]);
            SyncOptions B() => new SyncOptions { Exclude = ["*_tmp/*"] };
        """));

    [Fact]
    public Task NotConstant_NoDiagnostic() => Verify.VerifyAsync(InClass("""
            static readonly string[] Patterns = ["[bad"];
            void A(Syncer s, string p) => s.SyncUp("/l", "/r", [p, p + "["]);
            void B(Syncer s) => s.SyncUp("/l", "/r", Patterns);
            void C(Syncer s, List<string> list) => s.SyncUp("/l", "/r", [.. list]);
            SyncOptions D(IReadOnlyList<string> e) => new SyncOptions { Exclude = e };
        """));
}
