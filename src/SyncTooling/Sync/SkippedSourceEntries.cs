using SyncTooling.Storage.File;

namespace SyncTooling.Sync;

/// <summary>
/// Source entries a local listing skipped (links, FIFOs, sockets, devices), and keys any source listed but refused. The source still has something at each of
/// these keys, so the destination's copy there, and everything below a skipped folder, is not extraneous: like an
/// excluded key, it is never deleted.
/// </summary>
internal sealed class SkippedSourceEntries
{
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly List<string> _folders = [];

    public SkippedSourceEntries(IEnumerable<SkippedEntry> skipped, IEnumerable<string>? refusedKeys = null)
    {
        ArgumentNullException.ThrowIfNull(skipped);

        // A key the source listed but refused (not UTF-8, or a file that is also a folder) is still the source's:
        // the destination's copy of it is no more extraneous than a skipped link's.
        _keys.UnionWith(refusedKeys ?? []);
        foreach (var entry in skipped)
        {
            // A linked folder ("data/") protects "data" too: the destination may hold it as a file.
            _keys.Add(entry.Key.TrimEnd('/'));
            if (entry.Key.EndsWith('/'))
            {
                _folders.Add(entry.Key);
            }
        }
    }

    /// <summary>True when the destination key <paramref name="key"/> is covered by a skipped source entry.</summary>
    public bool Protects(string key) =>
        _keys.Contains(key) || _folders.Exists(folder => key.StartsWith(folder, StringComparison.Ordinal));
}
