using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SyncTooling.Analyzers.CodeFixes;

/// <summary>
/// Edits of object initializers that keep the author's layout: one-line initializers stay on one line,
/// one-assignment-per-line initializers keep their indentation and trailing comma.
/// </summary>
internal static class InitializerEdits
{
    public static InitializerExpressionSyntax Remove(InitializerExpressionSyntax initializer, ExpressionSyntax assignment)
    {
        var items = initializer.Expressions.GetWithSeparators();
        int index = items.IndexOf(assignment);
        if (index + 1 < items.Count)
        {
            // Take the comma after it: the next line keeps its own indentation.
            items = items.RemoveAt(index + 1).RemoveAt(index);
        }
        else if (index > 0)
        {
            // The last one without a trailing comma: drop the comma before it, keep the line break or space before '}'.
            var previous = items[index - 2].AsNode()!.WithTrailingTrivia(assignment.GetTrailingTrivia());
            items = items.Replace(items[index - 2], previous).RemoveAt(index).RemoveAt(index - 1);
        }
        else
        {
            items = items.RemoveAt(index);
        }

        return initializer.WithExpressions(SyntaxFactory.SeparatedList<ExpressionSyntax>(items));
    }

    public static InitializerExpressionSyntax InsertBefore(InitializerExpressionSyntax initializer, ExpressionSyntax target, ExpressionSyntax inserted)
    {
        var items = initializer.Expressions.GetWithSeparators();
        int index = items.IndexOf(target);

        // Reuse the space or line break that precedes the target, so the new line looks like its neighbours.
        var separator = SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(target.GetFirstToken().GetPreviousToken().TrailingTrivia);
        items = items.Insert(index, separator).Insert(index, inserted.WithLeadingTrivia(target.GetLeadingTrivia()));
        return initializer.WithExpressions(SyntaxFactory.SeparatedList<ExpressionSyntax>(items));
    }
}
