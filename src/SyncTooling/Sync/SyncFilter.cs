namespace SyncTooling.Sync;

/// <summary>Whether a <see cref="SyncFilter"/> that matches a path keeps it in the sync or leaves it out.</summary>
public enum SyncFilterKind
{
    /// <summary>A matching path is left out of the sync on both sides (never transferred, never deleted).</summary>
    Exclude,

    /// <summary>A matching path takes part in the sync, even when an earlier filter excluded it.</summary>
    Include,
}

/// <summary>
/// One <c>--include</c> or <c>--exclude</c> filter: an fnmatch pattern (see <see cref="ExcludeMatcher"/>) and what a
/// match means. Filters apply in order and the last one that matches a path decides, as in aws-cli, so
/// <c>[Exclude("*"), Include("*.csv")]</c> syncs only the CSV files.
/// </summary>
/// <param name="Kind">Include or exclude.</param>
/// <param name="Pattern">The fnmatch pattern, against the POSIX path relative to the sync root.</param>
public sealed record SyncFilter(SyncFilterKind Kind, string Pattern)
{
    /// <summary>A filter that keeps the paths matching <paramref name="pattern"/>.</summary>
    public static SyncFilter Include(string pattern) => new(SyncFilterKind.Include, pattern);

    /// <summary>A filter that leaves out the paths matching <paramref name="pattern"/>.</summary>
    public static SyncFilter Exclude(string pattern) => new(SyncFilterKind.Exclude, pattern);
}
