using System.Text.RegularExpressions;
using McMaster.Extensions.CommandLineUtils;

namespace SyncTooling.Cli;

/// <summary>
/// "Did you mean ...?" for a mistyped option or command: the command's own names that start with what was typed,
/// else those within a small edit distance of it.
/// </summary>
internal static partial class OptionSuggestions
{
    /// <summary>aws-cli's and rclone's verbs, which are two commands here.</summary>
    private static readonly Dictionary<string, string> ForeignCommands = new(StringComparer.Ordinal)
    {
        ["sync"] = "'up LOCAL REMOTE' or 'down REMOTE LOCAL'",
        ["cp"] = "'up LOCAL REMOTE' or 'down REMOTE LOCAL'",
        ["copy"] = "'up LOCAL REMOTE' or 'down REMOTE LOCAL'",
        ["rm"] = "'delete'",
        ["purge"] = "'delete'",
    };

    /// <summary>The sentence's object ("'--dry-run'", "'up' or 'down'"), or null when nothing is close.</summary>
    public static string? For(CommandParsingException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.Command is not { } command || UnrecognizedToken().Match(exception.Message) is not { Success: true } match)
        {
            return null;
        }

        string typed = match.Groups["token"].Value;
        if (typed.StartsWith('-'))
        {
            // "--endpoint=URL": the name is what was mistyped.
            int end = typed.IndexOfAny(['=', ':']);
            string name = end > 0 ? typed[..end] : typed;
            var options = command.GetOptions()
                .Where(o => o.ShowInHelpText)
                .SelectMany(o => new[] { o.LongName is null ? null : "--" + o.LongName, o.ShortName is null ? null : "-" + o.ShortName })
                .OfType<string>();
            return Closest(name, options);
        }

        if (command.Parent is null && ForeignCommands.TryGetValue(typed, out string? verbs))
        {
            return verbs;
        }

        return command.Commands.Count == 0 ? null : Closest(typed, command.Commands.Select(c => c.Name).OfType<string>());
    }

    /// <summary>The candidates that start with <paramref name="typed"/>, else those at most a third of its length (and 2) edits away.</summary>
    internal static string? Closest(string typed, IEnumerable<string> candidates)
    {
        var names = candidates.Distinct(StringComparer.Ordinal).ToList();
        string bare = typed.TrimStart('-');
        var close = bare.Length >= 2
            ? names.Where(n => n.Length > typed.Length && n.StartsWith(typed, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList()
            : [];
        if (close.Count == 0)
        {
            int allowed = Math.Clamp(bare.Length / 3, 1, 2);
            close = names
                .Select(n => (Name: n, Distance: Distance(typed, n)))
                .Where(c => c.Distance <= allowed)
                .OrderBy(c => c.Distance)
                .ThenBy(c => c.Name, StringComparer.Ordinal)
                .Select(c => c.Name)
                .ToList();
        }

        return close.Count == 0 ? null : string.Join(" or ", close.Take(2).Select(n => "'" + n + "'"));
    }

    /// <summary>Levenshtein distance (insert, delete, substitute), with a swap of two neighbours counted as one edit.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    [GeneratedRegex(@"^Unrecognized (?:option|command or argument) '(?<token>.*)'", RegexOptions.Singleline)]
    private static partial Regex UnrecognizedToken();
}
