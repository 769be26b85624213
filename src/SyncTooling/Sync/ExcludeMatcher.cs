using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace SyncTooling.Sync;

/// <summary>
/// Exclude patterns with Ray 2.7+ semantics: Python <c>fnmatch</c> (<c>*</c> also matches '/', <c>?</c>,
/// <c>[seq]</c>, <c>[!seq]</c>, case-sensitive) against the POSIX path relative to the sync root.
/// A directory is tested as <c>dir/</c>; when that matches, the directory and everything below it is
/// excluded (so <c>logs/</c> drops the folder). A malformed set (<c>[</c> never closed) is a literal
/// <c>[</c>, as in Python. With <see cref="SyncFilter"/>s, include and exclude patterns apply in order and the
/// last one matching a path (or a directory above it) decides, as in aws-cli; a path no filter matches is kept.
/// </summary>
public sealed class ExcludeMatcher
{
    // Runs of consecutive filters of one kind, each compiled to one alternation: only excludes cost one regex, as before.
    private readonly FilterRun[] _runs;

    // Per directory ("a/b/"): the last run matching it or a directory above it, -1 when none does.
    private readonly ConcurrentDictionary<string, int> _directoryCache = new(StringComparer.Ordinal);

    /// <summary>Compiles exclude patterns; an empty list excludes nothing.</summary>
    public ExcludeMatcher(IEnumerable<string>? patterns)
        : this(patterns, null)
    {
    }

    /// <summary>Compiles <paramref name="excludes"/> followed by <paramref name="filters"/>, in that order.</summary>
    public ExcludeMatcher(IEnumerable<string>? excludes, IEnumerable<SyncFilter>? filters)
    {
        var all = (excludes ?? []).Select(SyncFilter.Exclude).Concat(filters ?? []).Where(f => !string.IsNullOrEmpty(f.Pattern)).ToArray();
        Patterns = all.Select(f => f.Pattern).ToArray();
        var runs = new List<FilterRun>();
        for (int i = 0; i < all.Length;)
        {
            int j = i;
            while (j < all.Length && all[j].Kind == all[i].Kind)
            {
                j++;
            }

            // NonBacktracking: a pattern like *a*a*a*a*b cannot make matching exponential.
            string alternation = string.Join("|", all[i..j].Select(f => Translate(f.Pattern)));
            var regex = new Regex(@"\A(?:" + alternation + @")\z", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.Singleline);
            runs.Add(new FilterRun(all[i].Kind == SyncFilterKind.Include, regex, all.Skip(j).Any(f => f.Kind == SyncFilterKind.Include)));
            i = j;
        }

        _runs = [.. runs];
    }

    /// <summary>A matcher that excludes nothing.</summary>
    public static ExcludeMatcher None { get; } = new(null);

    /// <summary>The patterns, as given (excludes first, then the filters in order).</summary>
    public IReadOnlyList<string> Patterns { get; }

    /// <summary>The matcher for <see cref="SyncOptions.Exclude"/> followed by <see cref="SyncOptions.Filters"/>.</summary>
    public static ExcludeMatcher For(SyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ExcludeMatcher(options.Exclude, options.Filters);
    }

    /// <summary>True when a relative file key is excluded: the last filter matching it, or a directory above it, is an exclude.</summary>
    public bool IsExcluded(string key)
    {
        if (_runs.Length == 0)
        {
            return false;
        }

        int verdict = -1;
        int slash = key.IndexOf('/', StringComparison.Ordinal);
        while (slash >= 0)
        {
            verdict = DirectoryVerdict(key[..(slash + 1)], verdict);
            if (IsFinalExclude(verdict))
            {
                return true;
            }

            slash = key.IndexOf('/', slash + 1);
        }

        verdict = LastMatch(key, verdict);
        return verdict >= 0 && !_runs[verdict].Include;
    }

    /// <summary>
    /// True when a directory (relative path ending in '/') can be skipped whole: an exclude decides it and no
    /// include after that exclude could bring back a file below it.
    /// </summary>
    public bool IsDirectoryExcluded(string directoryWithSlash)
    {
        if (_runs.Length == 0)
        {
            return false;
        }

        int verdict = -1;
        int slash = directoryWithSlash.IndexOf('/', StringComparison.Ordinal);
        while (slash >= 0)
        {
            verdict = DirectoryVerdict(directoryWithSlash[..(slash + 1)], verdict);
            slash = directoryWithSlash.IndexOf('/', slash + 1);
        }

        return IsFinalExclude(verdict);
    }

    private bool IsFinalExclude(int run) => run >= 0 && !_runs[run].Include && !_runs[run].IncludeFollows;

    private int DirectoryVerdict(string directory, int parentVerdict) =>
        _directoryCache.GetOrAdd(directory, static (d, state) => state.Matcher.LastMatch(d, state.Parent), (Matcher: this, Parent: parentVerdict));

    // The last run after `after` that matches the text, else `after`.
    private int LastMatch(string text, int after)
    {
        for (int run = _runs.Length - 1; run > after; run--)
        {
            if (_runs[run].Regex.IsMatch(text))
            {
                return run;
            }
        }

        return after;
    }

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

    private sealed record FilterRun(bool Include, Regex Regex, bool IncludeFollows);
}
