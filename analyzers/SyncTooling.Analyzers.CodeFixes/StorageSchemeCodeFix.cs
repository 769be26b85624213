using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SyncTooling.Validation;

namespace SyncTooling.Analyzers.CodeFixes;

/// <summary>SYNC001: rewrites a scheme alias (<c>s3a://</c>, <c>s3n://</c>, <c>gcs://</c>) or an upper-case scheme.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StorageSchemeCodeFix))]
[Shared]
public sealed class StorageSchemeCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(SyncRuleIds.UnsupportedLocation);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            // The analyzer only offers a correction that parses; no property, no fix.
            if (!diagnostic.Properties.TryGetValue(UnsupportedLocationAnalyzer.CorrectedLocationKey, out string? corrected) || corrected is null ||
                root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not LiteralExpressionSyntax literal)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create("Use '" + StorageUriGrammar.Redact(corrected) + "'", ct => FixAsync(context.Document, literal, corrected, ct), equivalenceKey: nameof(StorageSchemeCodeFix)),
                diagnostic);
        }
    }

    private static async Task<Document> FixAsync(Document document, LiteralExpressionSyntax literal, string corrected, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var replacement = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(corrected)).WithTriviaFrom(literal);
        return document.WithSyntaxRoot(root!.ReplaceNode(literal, replacement));
    }
}
