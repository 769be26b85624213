using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace SyncTooling.Analyzers.Tests.Testing;

/// <summary>
/// <see cref="CSharpCodeFixTest{TAnalyzer, TCodeFix, TVerifier}"/> set up as <see cref="SyncAnalyzerTest{TAnalyzer}"/>. It
/// checks the diagnostics of the marked-up source, applies the fix one diagnostic at a time, then with Fix All in the
/// document, project and solution (the batch fixer), and compares each outcome with the fixed source as exact text.
/// </summary>
internal sealed class SyncCodeFixTest<TAnalyzer, TCodeFix> : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public SyncCodeFixTest(string markup, string fixedMarkup)
    {
        TestCode = markup;
        FixedCode = fixedMarkup;
        ReferenceAssemblies = TestReferences.Net100;
        TestState.AdditionalReferences.AddRange(TestReferences.SyncTooling);
        SolutionTransforms.Add(TestReferences.EnableNullable);
    }

    /// <summary>Fixes every diagnostic marked in <paramref name="markup"/>; <paramref name="fixedMarkup"/> marks those that stay.</summary>
    public static Task VerifyAsync(string markup, string fixedMarkup) => new SyncCodeFixTest<TAnalyzer, TCodeFix>(markup, fixedMarkup).RunAsync();

    /// <summary>As <see cref="VerifyAsync"/>, and one Fix All pass fixes every diagnostic.</summary>
    public static Task VerifyFixAllAsync(string markup, string fixedMarkup) =>
        new SyncCodeFixTest<TAnalyzer, TCodeFix>(markup, fixedMarkup) { NumberOfFixAllIterations = 1 }.RunAsync();

    protected override DiagnosticDescriptor? GetDefaultDiagnostic(DiagnosticAnalyzer[] analyzers) =>
        analyzers[0].SupportedDiagnostics[0];
}
