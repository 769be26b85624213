using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SyncTooling.Validation;

namespace SyncTooling.Analyzers.CodeFixes;

/// <summary>SYNC006: sets <c>SyncArtifacts = true</c> so SyncArtifactsOnCheckpoint takes effect.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EnableSyncArtifactsCodeFix))]
[Shared]
public sealed class EnableSyncArtifactsCodeFix : CodeFixProvider
{
    private const string Title = "Set SyncArtifacts = true";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(SyncRuleIds.ArtifactsOnCheckpointWithoutArtifacts);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax } assignment)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => FixAsync(context.Document, assignment, ct), equivalenceKey: nameof(EnableSyncArtifactsCodeFix)),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> FixAsync(Document document, AssignmentExpressionSyntax onCheckpoint, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var initializer = (InitializerExpressionSyntax)onCheckpoint.Parent!;
        var trueLiteral = SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression);
        var existing = initializer.Expressions.OfType<AssignmentExpressionSyntax>()
            .FirstOrDefault(a => a.Left is IdentifierNameSyntax { Identifier.ValueText: "SyncArtifacts" });

        SyntaxNode fixedRoot = existing is not null
            ? root!.ReplaceNode(existing.Right, trueLiteral.WithTriviaFrom(existing.Right))
            : root!.ReplaceNode(initializer, InitializerEdits.InsertBefore(initializer, onCheckpoint, SyncArtifactsTrue(trueLiteral)));
        return document.WithSyntaxRoot(fixedRoot);
    }

    private static AssignmentExpressionSyntax SyncArtifactsTrue(ExpressionSyntax value) =>
        SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName("SyncArtifacts"), value)
            .NormalizeWhitespace();
}
