using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace SyncTooling.Analyzers.Tests.Testing;

/// <summary>
/// <see cref="CSharpAnalyzerTest{TAnalyzer, TVerifier}"/> set up for our rules: net10.0, SyncTooling referenced, nullable on.
/// <c>[|text|]</c> marks the analyzer's first rule, <c>{|SYNC001:text|}</c> a named one, <c>{|#0:text|}</c> a location for
/// an explicit <see cref="DiagnosticResult"/>.
/// </summary>
internal class SyncAnalyzerTest<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public SyncAnalyzerTest(string markup, bool referenceSyncTooling = true)
    {
        TestCode = markup;
        ReferenceAssemblies = TestReferences.Net100;
        if (referenceSyncTooling)
        {
            TestState.AdditionalReferences.AddRange(TestReferences.SyncTooling);
        }

        SolutionTransforms.Add(TestReferences.EnableNullable);
    }

    /// <summary>A diagnostic of the analyzer's first rule, to give a message or severity.</summary>
    public static DiagnosticResult Diagnostic() => new(new TAnalyzer().SupportedDiagnostics[0]);

    /// <summary>Checks the diagnostics marked in <paramref name="markup"/> plus <paramref name="expected"/>, and that the source compiles.</summary>
    public static Task VerifyAsync(string markup, string? editorConfig = null, params DiagnosticResult[] expected)
    {
        var test = new SyncAnalyzerTest<TAnalyzer>(markup);
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", editorConfig));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>Checks the message a user sees for the one diagnostic at <c>{|#0:...|}</c>.</summary>
    public static Task VerifyMessageAsync(string markup, string message) =>
        VerifyAsync(markup, expected: Diagnostic().WithLocation(0).WithMessage(message));

    // [|...|] means the analyzer's first rule, even for an analyzer with more than one.
    protected override DiagnosticDescriptor? GetDefaultDiagnostic(DiagnosticAnalyzer[] analyzers) =>
        analyzers[0].SupportedDiagnostics[0];
}
