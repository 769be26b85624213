using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SyncTooling.Analyzers.Tests.Verifiers;

/// <summary>Checks the diagnostics of marked-up source, applies a fix (one at a time, or Fix All) and compares the exact text.</summary>
internal static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static async Task VerifyAsync(string markup, string fixedSource)
    {
        await AnalyzerVerifier<TAnalyzer>.VerifyAsync(markup);
        var document = TestProject.Create(TestMarkup.Parse(markup).Source);
        var fix = new TCodeFix();

        // One diagnostic at a time, re-analyzing after each, as a user clicking through them would.
        for (int round = 0; round < 20; round++)
        {
            var action = await FirstActionAsync(document, fix);
            if (action is null)
            {
                break;
            }

            document = await ApplyAsync(document, action);
        }

        await AssertFixedAsync(document, fixedSource);
    }

    public static async Task VerifyFixAllAsync(string markup, string fixedSource)
    {
        var document = TestProject.Create(TestMarkup.Parse(markup).Source);
        var fix = new TCodeFix();
        var diagnostics = await FixableAsync(document, fix);
        var first = await FirstActionAsync(document, fix);
        Assert.NotNull(first);

        var context = new FixAllContext(document, fix, FixAllScope.Document, first.EquivalenceKey, fix.FixableDiagnosticIds, new FixedDiagnostics(diagnostics), CancellationToken.None);
        var fixAll = await fix.GetFixAllProvider()!.GetFixAsync(context);
        Assert.NotNull(fixAll);
        document = await ApplyAsync(document, fixAll);

        await AssertFixedAsync(document, fixedSource);
    }

    private static async Task AssertFixedAsync(Document document, string fixedSource)
    {
        Assert.Equal(fixedSource, (await document.GetTextAsync()).ToString());

        // The fixed source compiles (asserted by AnalyzeAsync).
        await TestProject.AnalyzeAsync(document, new TAnalyzer());
    }

    private static async Task<ImmutableArray<Diagnostic>> FixableAsync(Document document, CodeFixProvider fix) =>
        [.. (await TestProject.AnalyzeAsync(document, new TAnalyzer())).Where(d => fix.FixableDiagnosticIds.Contains(d.Id))];

    private static async Task<CodeAction?> FirstActionAsync(Document document, CodeFixProvider fix)
    {
        foreach (var diagnostic in await FixableAsync(document, fix))
        {
            var actions = new List<CodeAction>();
            await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None));
            if (actions.Count > 0)
            {
                return actions[0];
            }
        }

        return null;
    }

    private static async Task<Document> ApplyAsync(Document document, CodeAction action)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var solution = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
        return solution.GetDocument(document.Id)!;
    }

    private sealed class FixedDiagnostics(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>([]);
    }
}
