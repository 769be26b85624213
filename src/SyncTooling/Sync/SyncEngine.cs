using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Sync.Planning;
using SyncTooling.Validation;

namespace SyncTooling.Sync;

/// <summary>
/// Makes a destination match a source: merge the two listings as they stream, in <see cref="KeyOrder"/>, into a plan
/// (new, changed, extraneous, unchanged) while transfer workers already copy the new and changed files, and delete
/// extraneous files only when asked and only when both listings, every guard and every transfer succeeded.
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
    /// <exception cref="StorageException">A listing failed or listed a key twice: nothing was deleted; files transferred
    /// before it failed (transfers overlap the listing) are complete copies.</exception>
    private async Task<SyncResult> SyncCoreAsync(
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

        var settings = new StorageSettings { Retries = options.Retries, StateDirectory = options.StateDirectory, Logger = _logger };
        var sourceStorage = _registry.Open(source, settings);
        await using (sourceStorage.ConfigureAwait(false))
        {
            var destinationStorage = _registry.Open(destination, settings);
            await using (destinationStorage.ConfigureAwait(false))
            {
                var matcher = ExcludeMatcher.For(options);
                var downloadState = OpenDownloadState(sourceStorage, destinationStorage, source, destination, options);
                using var spill = new SpillFolder(options.SpillParent);
                using var ranged = RangedDownloader.For(sourceStorage, destinationStorage, source, destination, options, _timeProvider);
                var run = new SyncRun(sourceStorage, destinationStorage, options, matcher, downloadState, spill, progress) { Ranged = ranged };
                try
                {
                    await StreamAsync(run, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    if (spill.Path is string folder)
                    {
                        LogSpilled(_logger, options.SortMemoryEntries, folder);
                    }
                }

                var plan = run.Plan.Build();
                var refused = run.Refused.OrderBy(f => f.Key, KeyOrder.Instance).ToList();
                var skipped = run.Skipped.OrderBy(f => f.Key, KeyOrder.Instance).ToList();
                LogPlan(_logger, source, destination, plan.New.Count, plan.Changed.Count, plan.UnchangedCount, plan.ExtraneousCount);
                if (run.MetadataReads > 0)
                {
                    LogReadMetadata(_logger, run.MetadataReads, sourceStorage.Location);
                }

                if (options.DryRun)
                {
                    var wouldDelete = run.DeleteKeys().ToList();
                    return new SyncResult
                    {
                        Plan = plan,
                        DryRun = true,
                        Transferred = plan.ToTransfer.Select(e => e.Key).ToList(),
                        Deleted = wouldDelete,
                        Refused = refused,
                        Skipped = skipped,
                        ExtraneousKept = plan.ExtraneousCount - wouldDelete.Count,
                        Elapsed = _timeProvider.GetElapsedTime(started),
                    };
                }

                // First, so the download state below records the files sent once the way was cleared.
                var deleted = new List<string>();
                await ClearTypeConflictsAsync(run, deleted, cancellationToken).ConfigureAwait(false);
                RemoveStaleTempFiles(destinationStorage, ranged?.Prune(plan.ToTransfer));
                SaveDownloadState(downloadState, run.Keep);
                await AbandonUploadsAsync(destinationStorage, plan, matcher, options, cancellationToken).ConfigureAwait(false);
                var failures = run.Failures.OrderBy(f => f.Key, KeyOrder.Instance).ToList();
                if (failures.Count == 0)
                {
                    await DeleteBatchesAsync(destinationStorage, run.DeleteKeys().Where(k => !run.DeletedEarly.Contains(k)), options, deleted, failures, cancellationToken).ConfigureAwait(false);
                }
                else if (run.Deletes.Count > 0)
                {
                    LogDeleteSkipped(_logger, run.Deletes.Count, failures.Count);
                }

                var transferred = run.Transferred.Order(KeyOrder.Instance).ToList();
                var result = new SyncResult
                {
                    Plan = plan,
                    Transferred = transferred,
                    BytesTransferred = run.BytesTransferred,
                    Deleted = deleted,
                    Failures = failures,
                    Refused = refused,
                    Skipped = skipped,
                    ExtraneousKept = plan.ExtraneousCount - deleted.Count,
                    Elapsed = _timeProvider.GetElapsedTime(started),
                };
                LogDone(_logger, destination, transferred.Count, run.BytesTransferred, deleted.Count, failures.Count, result.Elapsed.TotalSeconds);
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
            catch (StorageException ex) when (ex.Kind == StorageErrorKind.NotFound && !ex.ContainerMissing)
            {
                // A missing prefix has nothing to delete; a missing bucket or container is more likely a mistyped name.
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

    /// <summary>
    /// The transfer workers: each takes the next pair from <paramref name="work"/>, decides it when the merge could
    /// not, and (unless a dry run) transfers it with retries. A file that fails after its retries is a failure of
    /// its own; the workers go on.
    /// </summary>
    private async Task TransferAsync(SyncRun run, IAsyncEnumerable<StoragePair> work, ProgressTracker tracker, CancellationToken cancellationToken)
    {
        var retry = new RetryPolicy(run.Options.Retries, timeProvider: _timeProvider);

        // Parallel.ForEachAsync ends in a cancellation of its own; keep what a stopped transfer was waiting for.
        StorageCanceledException? stopped = null;
        try
        {
            await Parallel.ForEachAsync(
                work,
                new ParallelOptions { MaxDegreeOfParallelism = run.Options.Jobs, CancellationToken = cancellationToken },
                TransferPairAsync).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (Volatile.Read(ref stopped) is { } first)
        {
            ExceptionDispatchInfo.Throw(first);
        }

        async ValueTask TransferPairAsync(StoragePair pair, CancellationToken ct)
        {
            var entry = pair.Source!;
            if (pair.Destination is { } existing)
            {
                if (await DecideAsync(run, entry, existing, ct).ConfigureAwait(false) is not { } changed)
                {
                    return;
                }

                entry = changed;
                tracker.AddPlanned(entry.Size);
            }

            if (run.Options.DryRun)
            {
                return;
            }

            try
            {
                bool retrying = false;
                await retry.ExecuteAsync(
                    async attemptToken =>
                    {
                        // A retry of a local file that changed expects it as it is now: once it stops changing, it goes through.
                        var attempt = retrying && run.Source is FileStorage local ? local.Stat(entry.Key) ?? entry : entry;
                        retrying = true;
                        await TransferOneAsync(run.Source, run.Destination, attempt, tracker, run.DownloadState, run.Ranged, attemptToken).ConfigureAwait(false);
                    },
                    ct).ConfigureAwait(false);
                lock (run.Transferred)
                {
                    run.Transferred.Add(entry.Key);
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
                // A file or folder in the way may go with --delete (ClearTypeConflictsAsync): reported once that is decided.
                bool inTheWay = run.Destination is FileStorage local && local.IsBlockedByOtherKind(entry.Key);
                bool blocked = inTheWay && run.Options.Delete;
                string message = inTheWay && !run.Options.Delete ? ex.Message + InTheWayHint : ex.Message;
                lock (run.Failures)
                {
                    run.Failures.Add(new SyncFailure(entry.Key, message));
                    run.FailedEntries[entry.Key] = entry;
                    if (blocked)
                    {
                        run.Blocked.Add(entry.Key);
                    }
                }

                if (!blocked)
                {
                    LogFailed(_logger, entry.Key, message);
                    tracker.FileFailed(entry.Key, message);
                }
            }
        }
    }

    private const string InTheWayHint = " (a folder stands where this file goes, or a file where one of its folders goes; sync with delete (--delete) to replace what the source does not have)";

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
            string from = localSource.PathOf(entry.Key);
            await localDestination.CopyFromFileAsync(from, entry.Key, entry, cancellationToken).ConfigureAwait(false);

            // The copy got the listed time (100 ns ticks); the source's nanoseconds too, as a download from an object store gets them.
            if (UnixFileTime.TryRead(from) is { } precise && precise.ToDateTimeOffset() == entry.LastModified)
            {
                UnixFileTime.TrySet(localDestination.PathOf(entry.Key), precise);
            }

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

    private async Task DeleteBatchesAsync(IStorage destination, IEnumerable<string> keys, SyncOptions options, List<string> deleted, List<SyncFailure> failures, CancellationToken cancellationToken)
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
    private static partial void LogDeleteSkipped(ILogger logger, long count, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped {Path} in {Location}: {Reason}")]
    private static partial void LogSkippedEntry(ILogger logger, string path, StorageUri location, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed stale temp file {Path} in {Location} (a leftover of an interrupted sync)")]
    private static partial void LogRemovedTempFile(ILogger logger, string path, StorageUri location);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused key {Key} in {Location}: {Reason}")]
    private static partial void LogRefusedKey(ILogger logger, string key, StorageUri location, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Spilled listing entries beyond {Entries} in memory to {Folder} (removed at the end of the sync)")]
    private static partial void LogSpilled(ILogger logger, int entries, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Location} ({Count} files)")]
    private static partial void LogDeletedAll(ILogger logger, StorageUri location, int count);
}
