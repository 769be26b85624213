using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Validation;

namespace SyncTooling.Sync;

/// <summary>
/// Makes a destination match a source: list both sides, plan (new, changed, extraneous, unchanged), then
/// transfer in parallel with streaming, and delete extraneous files only when asked and only when every
/// listing and transfer succeeded.
/// </summary>
public sealed partial class SyncEngine
{
    private readonly StorageRegistry _registry;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates an engine.</summary>
    /// <param name="registry">Backends by scheme; <see cref="StorageRegistry.Default"/> when null.</param>
    /// <param name="logger">Receives a line per sync and, at Debug, a line per file.</param>
    /// <param name="timeProvider">The clock for retry delays and timings.</param>
    public SyncEngine(StorageRegistry? registry = null, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        _registry = registry ?? StorageRegistry.Default;
        _logger = logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Makes <paramref name="destination"/> match <paramref name="source"/>.</summary>
    /// <returns>What was done; <see cref="SyncResult.Failures"/> lists files that failed after retries.</returns>
    /// <exception cref="SourceNotFoundException">The source does not exist (nothing was changed).</exception>
    /// <exception cref="SyncRefusedException">Delete from a source that lists no files, without <see cref="SyncOptions.AllowEmptySource"/>,
    /// or (<see cref="SyncGuard.Overlap"/>, whatever the options) a source and destination where one holds the other (nothing was changed).</exception>
    /// <exception cref="SyncException">The sync was refused before it changed anything (e.g. the <see cref="SyncOptions.MaxDelete"/> guard).</exception>
    /// <exception cref="StorageException">A listing failed (nothing was changed).</exception>
    public async Task<SyncResult> SyncAsync(
        StorageUri source,
        StorageUri destination,
        SyncOptions? options = null,
        IProgress<SyncProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        options ??= new SyncOptions();
        options.Validate();
        long started = _timeProvider.GetTimestamp();
        if (OverlappingLocations.Describe(source, destination) is string overlap)
        {
            throw new SyncRefusedException(SyncGuard.Overlap, $"Refusing to sync '{Shown(source)}' to '{Shown(destination)}': {overlap}");
        }

        var settings = new StorageSettings { Retries = options.Retries };
        var sourceStorage = _registry.Open(source, settings);
        await using (sourceStorage.ConfigureAwait(false))
        {
            var destinationStorage = _registry.Open(destination, settings);
            await using (destinationStorage.ConfigureAwait(false))
            {
                var matcher = new ExcludeMatcher(options.Exclude);
                var refused = new List<SyncFailure>();
                var skipped = new List<SyncFailure>();
                var downloadState = OpenDownloadState(sourceStorage, destinationStorage, source, destination, options);
                using var ranged = RangedDownloader.For(sourceStorage, destinationStorage, source, destination, options, _timeProvider);
                var (plan, sourceEmpty) = await PlanAsync(sourceStorage, destinationStorage, matcher, options, refused, skipped, downloadState, cancellationToken).ConfigureAwait(false);
                refused.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
                skipped.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
                LogPlan(_logger, source, destination, plan.New.Count, plan.Changed.Count, plan.Unchanged.Count, plan.Extraneous.Count);

                var skippedSource = new SkippedSourceEntries((sourceStorage as FileStorage)?.Skipped.Where(e => !matcher.IsExcluded(e.Key)) ?? []);
                var toDelete = options.Delete
                    ? plan.Extraneous.Select(e => e.Key).Where(k => !skippedSource.Protects(k)).Order(StringComparer.Ordinal).ToList()
                    : [];
                if (options.Delete && sourceEmpty && !options.AllowEmptySource && toDelete.Count > 0)
                {
                    throw new SyncRefusedException(
                        SyncGuard.EmptySource,
                        $"Source '{source}' is empty (a mount that is not there?), so mirroring it would delete all {toDelete.Count} files in '{destination}'");
                }

                if (options.Delete && options.MaxDelete is int max && toDelete.Count > max)
                {
                    throw new SyncException(
                        $"Refusing to delete {toDelete.Count} files from '{destination}': more than the limit of {max} (max-delete). Nothing was transferred or deleted.");
                }

                if (options.DryRun)
                {
                    return new SyncResult
                    {
                        Plan = plan,
                        DryRun = true,
                        Transferred = plan.ToTransfer.Select(e => e.Key).ToList(),
                        Deleted = toDelete,
                        Refused = refused,
                        Skipped = skipped,
                        ExtraneousKept = plan.Extraneous.Count - toDelete.Count,
                        Elapsed = _timeProvider.GetElapsedTime(started),
                    };
                }

                RemoveStaleTempFiles(destinationStorage, ranged?.Prune(plan.ToTransfer));
                var (transferred, bytes, failures) = await TransferAsync(sourceStorage, destinationStorage, plan, options, progress, downloadState, ranged, cancellationToken).ConfigureAwait(false);
                SaveDownloadState(downloadState, plan);

                var deleted = new List<string>();
                if (toDelete.Count > 0 && failures.Count == 0)
                {
                    await DeleteBatchesAsync(destinationStorage, toDelete, options, deleted, failures, cancellationToken).ConfigureAwait(false);
                }
                else if (toDelete.Count > 0)
                {
                    LogDeleteSkipped(_logger, toDelete.Count, failures.Count);
                }

                var result = new SyncResult
                {
                    Plan = plan,
                    Transferred = transferred,
                    BytesTransferred = bytes,
                    Deleted = deleted,
                    Failures = failures,
                    Refused = refused,
                    Skipped = skipped,
                    ExtraneousKept = plan.Extraneous.Count - deleted.Count,
                    Elapsed = _timeProvider.GetElapsedTime(started),
                };
                LogDone(_logger, destination, transferred.Count, bytes, deleted.Count, failures.Count, result.Elapsed.TotalSeconds);
                return result;
            }
        }
    }

    private static string Shown(StorageUri location) => location.IsLocal ? Path.TrimEndingDirectorySeparator(Path.GetFullPath(location.Path)) : location.ToString();

    /// <summary>
    /// Deletes everything below <paramref name="target"/>. With <paramref name="dryRun"/>, lists what would go. A local
    /// target lists and removes files, folders (ending with '/') and links (never followed) alike, then its own folder.
    /// </summary>
    /// <param name="target">What to empty.</param>
    /// <param name="dryRun">List only; delete nothing.</param>
    /// <param name="force">Allow a target that is a file system root, the home or current folder, a folder holding one
    /// of them, or a whole bucket (no prefix); refused otherwise.</param>
    /// <param name="retries">Retries after a transient failure, 0 to 100, as <see cref="SyncOptions.Retries"/>.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>The keys deleted (or that would be).</returns>
    /// <exception cref="SyncRefusedException">A broad target without <paramref name="force"/> (nothing was changed).</exception>
    /// <exception cref="StorageException">The listing failed or lied (nothing was changed), or a delete failed.</exception>
    public async Task<IReadOnlyList<string>> DeleteAsync(StorageUri target, bool dryRun = false, bool force = false, int retries = SyncOptions.DefaultRetries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        new SyncOptions { Retries = retries }.Validate();
        if (!force && BroadDeleteTarget.Describe(target) is string what)
        {
            throw new SyncRefusedException(SyncGuard.BroadDelete, $"Refusing to delete everything below '{target}': it is {what}");
        }

        var storage = _registry.Open(target, new StorageSettings { Retries = retries });
        await using (storage.ConfigureAwait(false))
        {
            if (storage is FileStorage local)
            {
                var entries = await local.PurgeTreeAsync(dryRun, cancellationToken).ConfigureAwait(false);
                if (!dryRun)
                {
                    LogDeletedAll(_logger, target, entries.Count);
                }

                return entries;
            }

            var keys = new List<string>();
            try
            {
                await foreach (var entry in storage.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    keys.Add(entry.Key);
                }
            }
            catch (StorageException ex) when (ex.Kind == StorageErrorKind.NotFound)
            {
                return [];
            }

            keys.Sort(StringComparer.Ordinal);
            if (!dryRun)
            {
                var retry = new RetryPolicy(retries, timeProvider: _timeProvider);
                await retry.ExecuteAsync(ct => storage.DeleteAllAsync(ct), cancellationToken).ConfigureAwait(false);
                LogDeletedAll(_logger, target, keys.Count);
            }

            return keys;
        }
    }

    /// <summary>Lists <paramref name="location"/> recursively.</summary>
    /// <exception cref="StorageException">The location does not exist or cannot be listed.</exception>
    public Task<IReadOnlyList<StorageEntry>> ListAsync(StorageUri location, CancellationToken cancellationToken = default) =>
        ListAsync(location, SyncOptions.DefaultRetries, cancellationToken);

    /// <summary>Lists <paramref name="location"/> recursively.</summary>
    /// <param name="location">What to list.</param>
    /// <param name="retries">Retries after a transient failure, 0 to 100, as <see cref="SyncOptions.Retries"/>: each listing page is sent at most <c>retries + 1</c> times.</param>
    /// <param name="cancellationToken">Stops the listing.</param>
    /// <exception cref="StorageException">The location does not exist or cannot be listed.</exception>
    public async Task<IReadOnlyList<StorageEntry>> ListAsync(StorageUri location, int retries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        new SyncOptions { Retries = retries }.Validate();
        var storage = _registry.Open(location, new StorageSettings { Retries = retries });
        await using (storage.ConfigureAwait(false))
        {
            var entries = new List<StorageEntry>();
            await foreach (var entry in storage.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                entries.Add(entry);
            }

            entries.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            return entries;
        }
    }

    private async Task<(SyncPlan Plan, bool SourceEmpty)> PlanAsync(IStorage source, IStorage destination, ExcludeMatcher matcher, SyncOptions options, List<SyncFailure> refused, List<SyncFailure> skipped, DownloadState? downloadState, CancellationToken cancellationToken)
    {
        var sourceListing = ListFilteredAsync(source, matcher, isSource: true, refused, skipped, cancellationToken);
        var destinationListing = ListFilteredAsync(destination, matcher, isSource: false, refused, skipped, cancellationToken);
        try
        {
            await Task.WhenAll(sourceListing, destinationListing).ConfigureAwait(false);
        }
        catch
        {
            // Surface the source's failure first: "source not found" is the more useful message.
            await sourceListing.ConfigureAwait(false);
            throw;
        }

        var (sourceEntries, sourceListed) = await sourceListing.ConfigureAwait(false);
        var (destinationEntries, _) = await destinationListing.ConfigureAwait(false);
        if (destination.Capabilities.HasDirectories)
        {
            RefuseFilesThatArePrefixes(sourceEntries, source, refused);
        }

        if (options.Checksum)
        {
            await FillHashesAsync(source, sourceEntries, destination, destinationEntries, options, cancellationToken).ConfigureAwait(false);
        }

        var tolerance = source.Capabilities.ModificationTimePrecision > destination.Capabilities.ModificationTimePrecision
            ? source.Capabilities.ModificationTimePrecision
            : destination.Capabilities.ModificationTimePrecision;
        tolerance -= TimeSpan.FromTicks(1);
        var restored = downloadState is null
            ? null
            : await ConfirmRestoredAsync(source, sourceEntries, destination, destinationEntries, tolerance, downloadState, options, cancellationToken).ConfigureAwait(false);
        return (SyncPlan.Create(sourceEntries, destinationEntries, options.Checksum, tolerance, restored), sourceListed == 0);
    }

    /// <returns>The entries to plan with, and how many the listing held before excludes and refusals.</returns>
    private async Task<(Dictionary<string, StorageEntry> Entries, int Listed)> ListFilteredAsync(IStorage storage, ExcludeMatcher matcher, bool isSource, List<SyncFailure> refused, List<SyncFailure> skipped, CancellationToken cancellationToken)
    {
        var entries = new Dictionary<string, StorageEntry>(StringComparer.Ordinal);
        int listed = 0;
        Func<string, bool>? descend = matcher.Patterns.Count == 0 ? null : d => !matcher.IsDirectoryExcluded(d);
        try
        {
            await foreach (var entry in storage.ListAsync(descend, cancellationToken).ConfigureAwait(false))
            {
                listed++;
                if ((StorageKey.Check(entry.Key) ?? (storage as FileStorage)?.CheckName(entry.Key)) is string reason)
                {
                    // A folder marker ("logs/", as consoles create them) holds no data: skipping it is not a refusal.
                    if (entry.Key.EndsWith('/') && StorageKey.Check(entry.Key.TrimEnd('/')) is null)
                    {
                        continue;
                    }

                    LogRefusedKey(_logger, entry.Key, storage.Location, reason);
                    lock (refused)
                    {
                        refused.Add(new SyncFailure(entry.Key, $"refused in '{storage.Location}': {reason}; it was skipped."));
                    }

                    continue;
                }

                if (!matcher.IsExcluded(entry.Key))
                {
                    entries[entry.Key] = entry;
                }
            }
        }
        catch (StorageException ex) when (ex.Kind == StorageErrorKind.NotFound)
        {
            if (isSource)
            {
                throw new SourceNotFoundException($"Source '{storage.Location}' does not exist. Nothing was transferred or deleted.", ex);
            }

            return (entries, 0);
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

        if (isSource && entries.Count == 0 && !storage.Capabilities.HasDirectories)
        {
            // An object store cannot tell an empty prefix from a missing one. Treat it as missing so a typo in
            // the remote path never mirrors "nothing" over a full local directory.
            throw new SourceNotFoundException($"Source '{storage.Location}' has no files (a missing or mistyped prefix?). Nothing was transferred or deleted.");
        }

        return (entries, listed);
    }

    /// <summary>A killed sync leaves temp files in a local target; the next real run removes the stale ones (but those of downloads it continues).</summary>
    private void RemoveStaleTempFiles(IStorage destination, IReadOnlySet<string>? resumable)
    {
        if (destination is FileStorage local)
        {
            foreach (string key in local.RemoveStaleTempFiles(_timeProvider.GetUtcNow() - FileStorage.StaleTempAge, resumable))
            {
                LogRemovedTempFile(_logger, key, destination.Location);
            }
        }
    }

    /// <summary>
    /// An object store can hold both "a" and "a/b"; a file system cannot. Refuse the file "a" (one key) so that
    /// everything below "a/" arrives, the same way on every run instead of by transfer order.
    /// </summary>
    private void RefuseFilesThatArePrefixes(Dictionary<string, StorageEntry> sourceEntries, IStorage source, List<SyncFailure> refused)
    {
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (string key in sourceEntries.Keys)
        {
            for (int slash = key.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = key.IndexOf('/', slash + 1))
            {
                folders.Add(key[..slash]);
            }
        }

        foreach (string key in sourceEntries.Keys.Where(folders.Contains).ToList())
        {
            const string Reason = "the key is a file and also the folder of other keys, which a file system cannot hold";
            sourceEntries.Remove(key);
            LogRefusedKey(_logger, key, source.Location, Reason);
            refused.Add(new SyncFailure(key, $"refused in '{source.Location}': {Reason}; it was skipped."));
        }
    }

    private async Task FillHashesAsync(
        IStorage source,
        Dictionary<string, StorageEntry> sourceEntries,
        IStorage destination,
        Dictionary<string, StorageEntry> destinationEntries,
        SyncOptions options,
        CancellationToken cancellationToken)
    {
        // Only same-size pairs need content hashes: a size difference already decides.
        var pairs = sourceEntries.Values
            .Where(s => destinationEntries.TryGetValue(s.Key, out var d) && d.Size == s.Size)
            .Select(s => s.Key)
            .ToList();
        var lockObject = new object();
        await Parallel.ForEachAsync(
            pairs,
            new ParallelOptions { MaxDegreeOfParallelism = options.Jobs, CancellationToken = cancellationToken },
            async (key, ct) =>
            {
                StorageEntry s, d;
                lock (lockObject)
                {
                    s = sourceEntries[key];
                    d = destinationEntries[key];
                }

                string sourceMd5 = s.Md5 ?? await Md5OfAsync(source, key, ct).ConfigureAwait(false);
                string destinationMd5 = d.Md5 ?? await Md5OfAsync(destination, key, ct).ConfigureAwait(false);
                lock (lockObject)
                {
                    sourceEntries[key] = s with { Md5 = sourceMd5 };
                    destinationEntries[key] = d with { Md5 = destinationMd5 };
                }
            }).ConfigureAwait(false);
    }

    private static async Task<string> HashAsync(IStorage storage, string key, CancellationToken cancellationToken)
    {
        var stream = await storage.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
#pragma warning disable CA5351 // MD5 is what S3 ETags use; it detects change, it does not protect anything.
            byte[] hash = await MD5.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
#pragma warning restore CA5351
            return Convert.ToHexStringLower(hash);
        }
    }

    private async Task<(List<string> Transferred, long Bytes, List<SyncFailure> Failures)> TransferAsync(
        IStorage source,
        IStorage destination,
        SyncPlan plan,
        SyncOptions options,
        IProgress<SyncProgress>? progress,
        DownloadState? downloadState,
        RangedDownloader? ranged,
        CancellationToken cancellationToken)
    {
        var work = plan.ToTransfer.ToList();
        var tracker = new ProgressTracker(work.Count, plan.BytesToTransfer, progress);
        var transferred = new List<string>(work.Count);
        var failures = new List<SyncFailure>();
        var retry = new RetryPolicy(options.Retries, timeProvider: _timeProvider);

        // Parallel.ForEachAsync ends in a cancellation of its own; keep what a stopped transfer was waiting for.
        StorageCanceledException? stopped = null;
        try
        {
            await TransferAllAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (Volatile.Read(ref stopped) is { } first)
        {
            ExceptionDispatchInfo.Throw(first);
        }

        transferred.Sort(StringComparer.Ordinal);
        failures.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return (transferred, tracker.Bytes, failures);

        Task TransferAllAsync() => Parallel.ForEachAsync(
            work,
            new ParallelOptions { MaxDegreeOfParallelism = options.Jobs, CancellationToken = cancellationToken },
            async (entry, ct) =>
            {
                try
                {
                    bool retrying = false;
                    await retry.ExecuteAsync(
                        async attemptToken =>
                        {
                            // A retry of a local file that changed expects it as it is now: once it stops changing, it goes through.
                            var attempt = retrying && source is FileStorage local ? local.Stat(entry.Key) ?? entry : entry;
                            retrying = true;
                            await TransferOneAsync(source, destination, attempt, tracker, downloadState, ranged, attemptToken).ConfigureAwait(false);
                        },
                        ct).ConfigureAwait(false);
                    lock (transferred)
                    {
                        transferred.Add(entry.Key);
                    }

                    LogTransferred(_logger, entry.Key, entry.Size);
                    tracker.FileDone(entry.Key);
                }
                catch (StorageCanceledException ex) when (ct.IsCancellationRequested)
                {
                    Interlocked.CompareExchange(ref stopped, ex, null);
                    throw;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    lock (failures)
                    {
                        failures.Add(new SyncFailure(entry.Key, ex.Message));
                    }

                    LogFailed(_logger, entry.Key, ex.Message);
                    tracker.FileFailed(entry.Key, ex.Message);
                }
            });
    }

    /// <summary>
    /// One attempt at one file. Every byte passes a <see cref="VerifyingStream"/> (or the local copy's own check),
    /// so a short, long or damaged read fails before the destination commits.
    /// </summary>
    private static async Task TransferOneAsync(IStorage source, IStorage destination, StorageEntry entry, ProgressTracker tracker, DownloadState? downloadState, RangedDownloader? ranged, CancellationToken cancellationToken)
    {
        if (ranged is not null && ranged.Applies(entry))
        {
            await DownloadInRangesAsync(ranged, source, (FileStorage)destination, entry, tracker, downloadState, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (source is FileStorage localSource && destination is FileStorage localDestination)
        {
            await localDestination.CopyFromFileAsync(localSource.PathOf(entry.Key), entry.Key, entry, cancellationToken).ConfigureAwait(false);
            tracker.AddBytes(entry.Size);
            return;
        }

        var stream = await source.OpenReadAsync(entry.Key, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            Action<long>? checkSource = null;
            // The key goes before the query (s3://b/run/key?endpoint_override=...), as S3Storage names it.
            string where = $"'{StorageUriGrammar.Join(source.Location.ToString(), entry.Key)}'";
            if (source is FileStorage file)
            {
                string path = file.PathOf(entry.Key);
                checkSource = read => FileStorage.ThrowIfChanged(path, entry, read);
                where = $"'{path}'";
            }

            // A backend's response may know the content better than its listing (S3: an SSE-KMS ETag is no MD5).
            var expected = entry;
            if (stream is IAnnouncedContent announced)
            {
                VerifyingStream.ThrowIfAnnouncedOtherwise(announced.AnnouncedLength, entry.Size, where);
                expected = entry with { Md5 = announced.ExpectedMd5(entry.Md5) };
            }

            using var verified = new VerifyingStream(stream, expected, where, checkSource);
            using var counted = new ProgressStream(verified, tracker);
            await WriteWithTimeAsync(destination, entry, counted, SourceModified(source, entry, stream), downloadState, cancellationToken).ConfigureAwait(false);
            counted.Commit();
        }
    }

    private async Task DeleteBatchesAsync(IStorage destination, List<string> keys, SyncOptions options, List<string> deleted, List<SyncFailure> failures, CancellationToken cancellationToken)
    {
        var retry = new RetryPolicy(options.Retries, timeProvider: _timeProvider);
        foreach (var batch in keys.Chunk(Math.Max(1, destination.Capabilities.MaxDeleteBatch)))
        {
            try
            {
                await retry.ExecuteAsync(ct => destination.DeleteAsync(batch, ct), cancellationToken).ConfigureAwait(false);
                deleted.AddRange(batch);
            }
            catch (StorageException ex)
            {
                failures.AddRange(batch.Select(k => new SyncFailure(k, "delete failed: " + ex.Message)));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync {Source} -> {Destination}: {New} new, {Changed} changed, {Unchanged} unchanged, {Extraneous} extraneous")]
    private static partial void LogPlan(ILogger logger, StorageUri source, StorageUri destination, int @new, int changed, int unchanged, int extraneous);

    [LoggerMessage(Level = LogLevel.Information, Message = "Synced to {Destination}: {Files} files, {Bytes} bytes, {Deleted} deleted, {Failed} failed in {Seconds:0.00} s")]
    private static partial void LogDone(ILogger logger, StorageUri destination, int files, long bytes, int deleted, int failed, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Transferred {Key} ({Size} bytes)")]
    private static partial void LogTransferred(ILogger logger, string key, long size);

    [LoggerMessage(Level = LogLevel.Error, Message = "Failed {Key}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string key, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not deleting {Count} extraneous files because {Failed} transfers failed")]
    private static partial void LogDeleteSkipped(ILogger logger, int count, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped {Path} in {Location}: {Reason}")]
    private static partial void LogSkippedEntry(ILogger logger, string path, StorageUri location, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed stale temp file {Path} in {Location} (a leftover of an interrupted sync)")]
    private static partial void LogRemovedTempFile(ILogger logger, string path, StorageUri location);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused key {Key} in {Location}: {Reason}")]
    private static partial void LogRefusedKey(ILogger logger, string key, StorageUri location, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Location} ({Count} files)")]
    private static partial void LogDeletedAll(ILogger logger, StorageUri location, int count);
}
