using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace SyncTooling.Sync;

/// <summary>
/// Exclude patterns with Ray 2.7+ semantics: Python <c>fnmatch</c> (<c>*</c> also matches '/', <c>?</c>,
/// <c>[seq]</c>, <c>[!seq]</c>, case-sensitive) against the POSIX path relative to the sync root.
/// A directory is tested as <c>dir/</c>; when that matches, the directory and everything below it is
/// excluded (so <c>logs/</c> drops the folder). A malformed set (<c>[</c> never closed) is a literal
/// <c>[</c>, as in Python.
/// </summary>
public sealed class ExcludeMatcher
{
    private readonly Regex? _regex;
    private readonly ConcurrentDictionary<string, bool> _directoryCache = new(StringComparer.Ordinal);

    /// <summary>Compiles the patterns; an empty list excludes nothing.</summary>
    public ExcludeMatcher(IEnumerable<string>? patterns)
    {
        Patterns = patterns?.Where(p => !string.IsNullOrEmpty(p)).ToArray() ?? [];
        if (Patterns.Count > 0)
        {
            // NonBacktracking: a pattern like *a*a*a*a*b cannot make matching exponential.
            string alternation = string.Join("|", Patterns.Select(Translate));
            _regex = new Regex(@"\A(?:" + alternation + @")\z", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }
    }

    /// <summary>A matcher that excludes nothing.</summary>
    public static ExcludeMatcher None { get; } = new(null);

    /// <summary>The patterns, as given.</summary>
    public IReadOnlyList<string> Patterns { get; }

    /// <summary>True when a relative file key, or any directory above it, is excluded.</summary>
    public bool IsExcluded(string key)
    {
        if (_regex is null)
        {
            return false;
        }

        int slash = key.IndexOf('/', StringComparison.Ordinal);
        while (slash >= 0)
        {
            if (IsDirectoryExcludedUncached(key[..(slash + 1)]))
            {
                return true;
            }

            slash = key.IndexOf('/', slash + 1);
        }

        return _regex.IsMatch(key);
    }

    /// <summary>True when a directory (relative path ending in '/') matches a pattern itself.</summary>
    public bool IsDirectoryExcluded(string directoryWithSlash) =>
        _regex is not null && IsDirectoryExcludedUncached(directoryWithSlash);

    private bool IsDirectoryExcludedUncached(string directory) =>
        _directoryCache.GetOrAdd(directory, static (d, regex) => regex.IsMatch(d), _regex!);

    /// <summary>Translates one fnmatch pattern to a regular expression body, as Python's <c>fnmatch.translate</c> does.</summary>
    internal static string Translate(string pattern)
    {
        var sb = new StringBuilder();
        int i = 0;
        int n = pattern.Length;
        while (i < n)
        {
            char c = pattern[i++];
            switch (c)
            {
                case '*':
                    while (i < n && pattern[i] == '*')
                    {
                        i++;
                    }

                    sb.Append(".*");
                    break;
                case '?':
                    sb.Append('.');
                    break;
                case '[':
                    int j = i;
                    if (j < n && pattern[j] == '!')
                    {
                        j++;
                    }

                    if (j < n && pattern[j] == ']')
                    {
                        j++;
                    }

                    while (j < n && pattern[j] != ']')
                    {
                        j++;
                    }

                    if (j >= n)
                    {
                        sb.Append(@"\[");
                    }
                    else
                    {
                        sb.Append(TranslateSet(pattern[i..j]));
                        i = j + 1;
                    }

                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// One <c>[...]</c> body (without the brackets) as Python's fnmatch translates it: a range written backwards
    /// (<c>z-a</c>) is empty and dropped, so <c>[z-a]</c> matches nothing and <c>[!z-a]</c> any one character; every
    /// '-' that does not form a range and every character .NET reads specially inside a class is escaped.
    /// </summary>
    private static string TranslateSet(string set)
    {
        bool negate = set.StartsWith('!');
        if (negate)
        {
            set = set[1..];
        }

        var items = new StringBuilder();
        for (int k = 0; k < set.Length; k++)
        {
            char low = set[k];

            // "a-z": a range; a '-' first or last (or right after a range) is a literal, as in Python.
            if (k + 2 < set.Length && set[k + 1] == '-')
            {
                char high = set[k + 2];
                k += 2;
                if (low <= high)
                {
                    items.Append(Escape(low)).Append('-').Append(Escape(high));
                }

                continue;
            }

            items.Append(Escape(low));
        }

        if (items.Length == 0)
        {
            // Python: an empty set never matches; a negated empty set matches any one character.
            return negate ? "." : "(?!)";
        }

        return (negate ? "[^" : "[") + items + "]";

        // As \uXXXX: .NET does not read "\-" as the start of a range ("[\--z]" never matched ']').
        static string Escape(char c) => c is '\\' or '[' or ']' or '^' or '-' ? $"\\u{(int)c:x4}" : c.ToString();
    }
}
