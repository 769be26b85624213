using System;
using SyncTooling.Validation;

namespace SyncTooling.Analyzers.Infrastructure;

/// <summary>Rewrites the scheme of a location written with a well-known alias or in the wrong case.</summary>
internal static class SchemeCorrections
{
    /// <summary>The corrected location, or null when no rewrite makes it a supported location.</summary>
    public static string? TryCorrect(string location)
    {
        int end = location.IndexOf("://", StringComparison.Ordinal);
        if (end <= 0)
        {
            return null;
        }

        string written = location.Substring(0, end);
        string lower = written.ToLowerInvariant();
        string scheme = StorageUriGrammar.SchemeForAlias(lower) ?? lower;
        if (scheme == written)
        {
            return null;
        }

        string corrected = scheme + location.Substring(end);
        return StorageUriGrammar.TryParse(corrected, out _, out _) ? corrected : null;
    }
}
