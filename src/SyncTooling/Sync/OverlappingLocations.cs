using SyncTooling.Storage;

namespace SyncTooling.Sync;

/// <summary>
/// A source and destination in the same storage where one holds the other: mirroring would delete the source as
/// extraneous, or nest a copy one level deeper on every run. Such a sync is refused; nothing forces it.
/// </summary>
internal static class OverlappingLocations
{
    // As Linux's MAXSYMLINKS: past this many links the path loops, and its listing fails on its own.
    private const int MaxLinks = 40;

    /// <summary>How the two overlap ("the destination contains the source", ...), or null when they do not.</summary>
    public static string? Describe(StorageUri source, StorageUri destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (source.IsLocal != destination.IsLocal)
        {
            return null;
        }

        string separator = source.IsLocal ? Path.DirectorySeparatorChar.ToString() : "/";
        string a, b;
        if (source.IsLocal)
        {
            a = RealPath(source.Path);
            b = RealPath(destination.Path);
        }
        else
        {
            // A different endpoint is a different store, whatever the bucket is called.
            if (source.Scheme != destination.Scheme
                || !string.Equals(source.Authority, destination.Authority, StringComparison.Ordinal)
                || source.GetOption("endpoint_override") != destination.GetOption("endpoint_override"))
            {
                return null;
            }

            a = source.Path.Trim('/');
            b = destination.Path.Trim('/');
        }

        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return "they are the same folder";
        }

        if (Contains(b, a, separator))
        {
            return "the destination contains the source";
        }

        return Contains(a, b, separator) ? "the source contains the destination" : null;
    }

    /// <summary>
    /// The absolute path with '.', '..' and the symbolic links of every existing component resolved, as realpath(3)
    /// would (.NET has none). '..' after a link climbs from the link's target, not from the link.
    /// </summary>
    internal static string RealPath(string path)
    {
        string absolute = Path.IsPathRooted(path) ? path : Path.Join(Environment.CurrentDirectory, path);
        string root = Path.GetPathRoot(absolute) ?? Path.DirectorySeparatorChar.ToString();
        var pending = new LinkedList<string>(Components(absolute[root.Length..]));
        string resolved = root;
        int links = 0;
        while (pending.First is { } first)
        {
            string name = first.Value;
            pending.RemoveFirst();
            if (name is "" or ".")
            {
                continue;
            }

            if (name == "..")
            {
                resolved = Path.GetDirectoryName(resolved) ?? resolved;
                continue;
            }

            string candidate = Path.Join(resolved, name);
            if (links < MaxLinks && LinkTargetOf(candidate) is string target)
            {
                links++;
                foreach (string part in Components(target).Reverse())
                {
                    pending.AddFirst(part);
                }

                if (Path.IsPathRooted(target))
                {
                    resolved = Path.GetPathRoot(target) ?? root;
                }

                continue;
            }

            resolved = candidate;
        }

        return Path.TrimEndingDirectorySeparator(resolved);
    }

    private static string[] Components(string path) =>
        path.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]);

    private static string? LinkTargetOf(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Unreadable: treat as a plain name; the listing reports the real problem.
            return null;
        }
    }

    private static bool Contains(string outer, string inner, string separator) =>
        outer.Length == 0 || inner.StartsWith(outer.EndsWith(separator, StringComparison.Ordinal) ? outer : outer + separator, StringComparison.Ordinal);
}
