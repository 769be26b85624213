using Microsoft.Extensions.Logging;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Sync.Planning;

namespace SyncTooling.Sync;

/// <summary>
/// File and folder in each other's way in a local destination: the source has a file <c>x</c> where the destination
/// has a folder <c>x/</c> with files in it, or the source has <c>y/z</c> where the destination has a file <c>y</c>.
/// Writing <c>x</c> fails, and because deletes wait for a run without failures, the folder that blocks it was never
/// deleted either: every rerun failed the same way. With <see cref="SyncOptions.Delete"/>, the extraneous files in the
/// way are deleted first and the blocked transfers tried once more, as rsync replaces a folder with a file. Only
/// entries the plan already deletes go (the source has nothing at or below them), so a source that holds both
/// <c>k</c> and <c>k/a</c> (possible in an object store) keeps failing on <c>k</c> and deletes nothing it lists.
/// </summary>
public sealed partial class SyncEngine
{
    private async Task ClearTypeConflictsAsync(SyncRun run, List<string> deleted, CancellationToken cancellationToken)
    {
        try
        {
            await ClearAsync(run, deleted, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The failures held back for this: reported now that they stand.
            var tracker = run.Tracker ?? new ProgressTracker(run.Progress);
            for (int i = 0; i < run.Failures.Count; i++)
            {
                if (run.Blocked.Contains(run.Failures[i].Key))
                {
                    var failure = run.Failures[i] = run.Failures[i] with { Message = run.Failures[i].Message + StillInTheWayHint };
                    LogFailed(_logger, failure.Key, failure.Message);
                    tracker.FileFailed(failure.Key, failure.Message);
                }
            }

            run.Blocked.Clear();
        }
    }

    private async Task ClearAsync(SyncRun run, List<string> deleted, CancellationToken cancellationToken)
    {
        if (!run.Options.Delete || run.Options.DryRun || run.Destination is not FileStorage || run.Failures.Count == 0)
        {
            return;
        }

        var blocked = run.FailedEntries;
        var ancestorsOfBlocked = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string key in blocked.Keys)
        {
            foreach (string folder in StorageKey.FoldersOf(key))
            {
                if (!ancestorsOfBlocked.TryGetValue(folder, out var below))
                {
                    ancestorsOfBlocked[folder] = below = [];
                }

                below.Add(key);
            }
        }

        // Which extraneous files block which failed transfers: a file where a folder of the key must be, or files
        // below the key where the key's file must be.
        var obstacles = new SortedSet<string>(StringComparer.Ordinal);
        var cleared = new HashSet<string>(StringComparer.Ordinal);
        foreach (string extraneous in run.DeleteKeys())
        {
            if (ancestorsOfBlocked.TryGetValue(extraneous, out var keysBelow))
            {
                obstacles.Add(extraneous);
                cleared.UnionWith(keysBelow);
            }

            foreach (string folder in StorageKey.FoldersOf(extraneous))
            {
                if (blocked.ContainsKey(folder))
                {
                    obstacles.Add(extraneous);
                    cleared.Add(folder);
                }
            }
        }

        if (obstacles.Count > 0)
        {
            var deleteFailures = new List<SyncFailure>();
            await DeleteBatchesAsync(run.Destination, obstacles, run.Options, deleted, deleteFailures, cancellationToken).ConfigureAwait(false);
            run.DeletedEarly.UnionWith(obstacles);
            if (deleteFailures.Count > 0)
            {
                // The way stays blocked: keep the transfers' failures and report the deletes that failed beside them.
                run.Failures.AddRange(deleteFailures);
                return;
            }

            LogClearedConflicts(_logger, obstacles.Count, cleared.Count, run.Destination.Location);
        }

        // A folder in the way that holds no file at all (empty, or only empty folders) is never listed, so it is no
        // obstacle above; it holds nothing the source could lack, and with delete it goes like the files would.
        var local = (FileStorage)run.Destination;
        foreach (string key in blocked.Keys.Where(k => run.Blocked.Contains(k)).ToList())
        {
            if (local.RemoveEmptyFolderTree(key))
            {
                LogRemovedEmptyFolder(_logger, key, run.Destination.Location);
                cleared.Add(key);
            }
        }

        if (cleared.Count == 0)
        {
            return;
        }

        // Tried once more; a retry that fails again is a failure of its own (reported once, below or by TransferAsync).
        var retry = cleared.Order(StringComparer.Ordinal).Select(k => blocked[k]).ToList();
        run.Failures.RemoveAll(f => cleared.Contains(f.Key));
        foreach (string key in cleared)
        {
            blocked.Remove(key);
            run.Blocked.Remove(key);
        }

        // The same counts as the first pass, so progress goes on from where it was (these files were planned there).
        var tracker = run.Tracker ?? new ProgressTracker(run.Progress);
        long before = tracker.Bytes;
        await TransferAsync(run, retry.Select(e => new StoragePair(e, null)).ToAsyncEnumerable(), tracker, cancellationToken).ConfigureAwait(false);
        run.BytesTransferred += tracker.Bytes - before;
    }

    private const string StillInTheWayHint = " (a folder stands where this file goes, or a file where one of its folders goes, and delete did not replace it: it holds what the source also has, or excluded, refused or special entries)";

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed the empty folder {Key} in {Location}: it stood where a file of the source goes")]
    private static partial void LogRemovedEmptyFolder(ILogger logger, string key, StorageUri location);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Obstacles} extraneous files in {Location} first: they stood where {Blocked} files of the source go (a file where a folder must be, or a folder where a file must be)")]
    private static partial void LogClearedConflicts(ILogger logger, int obstacles, int blocked, StorageUri location);
}
