using Microsoft.CodeAnalysis.Diagnostics;

namespace SyncTooling.Analyzers.Tests.Verifiers;

/// <summary>Runs one analyzer on marked-up source and compares its diagnostics with the markup.</summary>
internal static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static async Task VerifyAsync(string markup, string? editorConfig = null)
    {
        var analyzer = new TAnalyzer();
        string defaultId = analyzer.SupportedDiagnostics[0].Id;
        var parsed = TestMarkup.Parse(markup);

        var diagnostics = await TestProject.AnalyzeAsync(TestProject.Create(parsed.Source, editorConfig), analyzer);

        var expected = parsed.Expected.Select(e => $"{e.Id ?? defaultId} {e.Span} '{parsed.Source[e.Span.Start..e.Span.End]}'");
        var actual = diagnostics.Select(d => $"{d.Id} {d.Location.SourceSpan} '{parsed.Source[d.Location.SourceSpan.Start..d.Location.SourceSpan.End]}'");
        Assert.Equal(string.Join("\n", expected), string.Join("\n", actual));
    }

    /// <summary>The message of the only diagnostic, for tests that assert the exact text a user sees.</summary>
    public static async Task<string> SingleMessageAsync(string source)
    {
        var diagnostics = await TestProject.AnalyzeAsync(TestProject.Create(source), new TAnalyzer());
        return Assert.Single(diagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture);
    }
}
