using System.Runtime.CompilerServices;
using SyncTooling.Storage;
using SyncTooling.Storage.File;

namespace SyncTooling.Sync;

/// <summary>The listing side of a streamed plan: refused keys, excludes and skipped entries, one entry at a time.</summary>
public sealed partial class SyncEngine
{
    /// <summary>
    /// The entries of <paramref name="storage"/> to plan with (refused keys and excluded ones left out), counting in
    /// <paramref name="count"/> how many the listing held before excludes and refusals and how many it kept.
    /// </summary>
    private async IAsyncEnumerable<StorageEntry> ListFilteredAsync(
        IStorage storage,
        ExcludeMatcher matcher,
        SyncShard? shard,
        bool isSource,
        ListingCount count,
        List<SyncFailure> refused,
        List<SyncFailure> skipped,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Func<string, bool>? descend = matcher.Patterns.Count == 0 ? null : d => !matcher.IsDirectoryExcluded(d);
        bool otherShards = false;
        var listing = storage.ListAsync(descend, cancellationToken).ConfigureAwait(false).GetAsyncEnumerator();
        try
        {
            while (true)
            {
                try
                {
                    if (!await listing.MoveNextAsync())
                    {
                        break;
                    }
                }
                catch (StorageException ex) when (ex.Kind == StorageErrorKind.NotFound)
                {
                    if (isSource)
                    {
                        throw new SourceNotFoundException(
                            ex.ContainerMissing ? $"Source '{storage.Location}' does not exist: {ex.Message} Nothing was transferred or deleted." : $"Source '{storage.Location}' does not exist. Nothing was transferred or deleted.",
                            ex);
                    }

                    if (ex.ContainerMissing)
                    {
                        // Not an empty destination: nothing can be written into it, so the sync fails once, not once a file.
                        throw new StorageException(StorageErrorKind.Permanent, ex.Message, ex) { ContainerMissing = true };
                    }

                    count.Missing = true;
                    break;
                }

                var entry = listing.Current;

                // Keys of other shards are another process's: not planned, not deleted, not counted by the guards.
                if (shard is not null && !shard.Contains(entry.Key))
                {
                    otherShards = true;
                    continue;
                }

                count.Listed++;
                if ((StorageKey.Check(entry.Key) ?? (storage as FileStorage)?.CheckName(entry.Key)) is string reason)
                {
                    // A folder marker ("logs/", as consoles create them) holds no data: skipping it is not a refusal.
                    if (!(entry.Key.EndsWith('/') && StorageKey.Check(entry.Key.TrimEnd('/')) is null))
                    {
                        Refuse(refused, entry.Key, storage, reason);
                    }

                    continue;
                }

                if (!matcher.IsExcluded(entry.Key))
                {
                    count.Kept++;
                    yield return entry;
                }
            }
        }
        finally
        {
            await listing.DisposeAsync();
        }

        if (count.Missing)
        {
            yield break;
        }

        if (storage is FileStorage file)
        {
            foreach (var entry in file.Skipped.Where(e => !matcher.IsExcluded(e.Key)))
            {
                LogSkippedEntry(_logger, entry.Key, storage.Location, entry.Reason);
                lock (skipped)
                {
                    skipped.Add(new SyncFailure(entry.Key, $"skipped in '{storage.Location}': {entry.Reason}."));
                }
            }
        }

        if (isSource && count.Kept == 0 && !otherShards && !storage.Capabilities.HasDirectories)
        {
            // An object store cannot tell an empty prefix from a missing one. Treat it as missing so a typo in
            // the remote path never mirrors "nothing" over a full local directory.
            throw new SourceNotFoundException($"Source '{storage.Location}' has no files (a missing or mistyped prefix?). Nothing was transferred or deleted.");
        }
    }

    /// <summary>
    /// An object store can hold both "a" and "a/b"; a file system cannot. Refuse the file "a" (one key) so that
    /// everything below "a/" arrives, the same way on every run instead of by transfer order. In key order every key
    /// that starts with "a" follows "a" directly, so "a" is held back only while such keys go by.
    /// </summary>
    private async IAsyncEnumerable<StorageEntry> RefuseFilesThatArePrefixesAsync(
        IAsyncEnumerable<StorageEntry> sorted,
        IStorage source,
        List<SyncFailure> refused,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const string Reason = "the key is a file and also the folder of other keys, which a file system cannot hold";

        // Each held key is a prefix of the ones after it: the front one still may turn out to be a folder.
        var held = new List<StorageEntry>();
        await foreach (var entry in sorted.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            for (int i = held.Count - 1; i >= 0; i--)
            {
                string file = held[i].Key;
                if (entry.Key.Length > file.Length && entry.Key[file.Length] == '/' && entry.Key.StartsWith(file, StringComparison.Ordinal))
                {
                    held.RemoveAt(i);
                    Refuse(refused, file, source, Reason);
                }
            }

            int released = 0;
            while (released < held.Count && !entry.Key.StartsWith(held[released].Key, StringComparison.Ordinal))
            {
                yield return held[released++];
            }

            held.RemoveRange(0, released);
            held.Add(entry);
        }

        foreach (var entry in held)
        {
            yield return entry;
        }
    }

    private void Refuse(List<SyncFailure> refused, string key, IStorage storage, string reason)
    {
        LogRefusedKey(_logger, key, storage.Location, reason);
        lock (refused)
        {
            refused.Add(new SyncFailure(key, $"refused in '{storage.Location}': {reason}; it was skipped."));
        }
    }

    /// <summary>What one listing held: before excludes and refusals, after them, and whether its root was missing.</summary>
    private sealed class ListingCount
    {
        public int Listed { get; set; }

        public int Kept { get; set; }

        public bool Missing { get; set; }
    }
}
