using Microsoft.CodeAnalysis.Text;

namespace SyncTooling.Analyzers.Tests.Verifiers;

/// <summary>
/// Source with expected diagnostics marked in place: <c>[|text|]</c> for the analyzer's only rule,
/// <c>{|SYNC001:text|}</c> for a named one.
/// </summary>
internal sealed record TestMarkup(string Source, IReadOnlyList<(string? Id, TextSpan Span)> Expected)
{
    public static TestMarkup Parse(string markup)
    {
        var source = new System.Text.StringBuilder();
        var open = new Stack<(string? Id, int Start)>();
        var expected = new List<(string?, TextSpan)>();
        for (int i = 0; i < markup.Length; i++)
        {
            if (At(markup, i, "[|"))
            {
                open.Push((null, source.Length));
                i++;
            }
            else if (markup[i] == '{' && At(markup, i + 1, "|SYNC") && markup.IndexOf(':', i) is int colon and > 0)
            {
                open.Push((markup.Substring(i + 2, colon - i - 2), source.Length));
                i = colon;
            }
            else if (At(markup, i, "|]") || At(markup, i, "|}"))
            {
                var (id, start) = open.Pop();
                expected.Add((id, TextSpan.FromBounds(start, source.Length)));
                i++;
            }
            else
            {
                source.Append(markup[i]);
            }
        }

        Assert.True(open.Count == 0, "Unclosed markup in the test source.");
        return new TestMarkup(source.ToString(), expected.OrderBy(e => e.Item2.Start).ToList());
    }

    private static bool At(string text, int index, string token) =>
        index + token.Length <= text.Length && string.CompareOrdinal(text, index, token, 0, token.Length) == 0;
}
