using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SyncTooling.Analyzers.CodeFixes;

/// <summary>Base of the fixes that delete the flagged assignment from its object initializer.</summary>
public abstract class RemoveAssignmentCodeFix : CodeFixProvider
{
    private readonly string _ruleId;
    private readonly string _title;

    private protected RemoveAssignmentCodeFix(string ruleId, string title)
    {
        _ruleId = ruleId;
        _title = title;
    }

    /// <inheritdoc />
    public sealed override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(_ruleId);

    /// <inheritdoc />
    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax } assignment)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(_title, ct => RemoveAsync(context.Document, assignment, ct), equivalenceKey: GetType().Name),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> RemoveAsync(Document document, AssignmentExpressionSyntax assignment, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var initializer = (InitializerExpressionSyntax)assignment.Parent!;
        return document.WithSyntaxRoot(root!.ReplaceNode(initializer, InitializerEdits.Remove(initializer, assignment)));
    }
}
