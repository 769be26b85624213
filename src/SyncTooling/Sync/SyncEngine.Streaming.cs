using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Sync.Planning;

namespace SyncTooling.Sync;

/// <summary>
/// The streamed plan: both listings merge-joined in <see cref="KeyOrder"/> while transfer workers take the work
/// from a bounded channel, so memory stays flat in the number of keys and the first transfer starts while the
/// listings go on. Deletes wait for the end: they are collected (spilled beyond the memory cap) and run only after
/// both listings completed and every guard passed.
/// </summary>
public sealed partial class SyncEngine
{
    /// <summary>
    /// Plans and, unless a dry run, transfers. A listing caught out of key order stops the merge; the plan starts
    /// again with that side sorted (<see cref="ExternalSort"/>), keeping what was already transferred.
    /// </summary>
    private async Task StreamAsync(SyncRun run, CancellationToken cancellationToken)
    {
        while (true)
        {
            run.StartAttempt();
            try
            {
                await StreamOnceAsync(run, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ListingOutOfOrderException ex) when (!(ex.IsSource ? run.SortSource : run.SortDestination))
            {
                LogOutOfOrder(_logger, ex.Location, ex.Message, run.Options.SortMemoryEntries);
                run.SortSource |= ex.IsSource;
                run.SortDestination |= !ex.IsSource;
                run.CarryTransfers();
            }
        }
    }

    private async Task StreamOnceAsync(SyncRun run, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = Channel.CreateBounded<StoragePair>(new BoundedChannelOptions(run.Options.Jobs * 8) { SingleWriter = true });
        var tracker = new ProgressTracker(run.Progress);
        run.Tracker = tracker;
        var transfers = TransferOrStopAsync();
        Exception? planFailure = null;
        try
        {
            await PlanAsync(run, work.Writer, tracker, stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            planFailure = ex;
            await stop.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            work.Writer.TryComplete();
        }

        try
        {
            await transfers.ConfigureAwait(false);
        }
        catch (Exception ex) when (planFailure is not null && PlanFailureWins(planFailure, ex))
        {
            // The listing failure (or a guard) is what the sync reports; the stopped transfers were cancelled by it.
        }
        finally
        {
            run.BytesTransferred += tracker.Bytes;
        }

        if (planFailure is not null)
        {
            ExceptionDispatchInfo.Throw(planFailure);
        }

        async Task TransferOrStopAsync()
        {
            try
            {
                await TransferAsync(run, work.Reader.ReadAllAsync(stop.Token), tracker, stop.Token).ConfigureAwait(false);
            }
            catch
            {
                // The merge may wait for room in the channel; it must not wait for workers that are gone.
                await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>
    /// Which failure a stopped sync reports: a listing's or a guard's over the cancelled transfers; a cancelled listing's
    /// when it says what it waited for or the transfers were only cancelled; otherwise the transfers' (what failed first).
    /// </summary>
    private static bool PlanFailureWins(Exception plan, Exception transfers) =>
        plan is not OperationCanceledException or StorageCanceledException
        || transfers is OperationCanceledException and not StorageCanceledException;

    /// <summary>Merges the listings into the plan and the work channel, then checks the guards that need the whole plan.</summary>
    private async Task PlanAsync(SyncRun run, ChannelWriter<StoragePair> work, ProgressTracker tracker, CancellationToken cancellationToken)
    {
        // One side's listing: filtered, read ahead, and checked for key order (sorted when it broke it on a first pass).
        IAsyncEnumerable<StorageEntry> Side(IStorage storage, bool isSource, ListingCount count, bool sort) =>
            ListingMerge.InKeyOrderAsync(
                ListingMerge.ReadAheadAsync(ListFilteredAsync(storage, run.Matcher, run.Options.Shard, isSource, count, run.Refused, run.Skipped, cancellationToken), cancellationToken),
                sort,
                new ExternalSort(run.Spill, run.Options.SortMemoryEntries),
                isSource,
                storage.Location,
                cancellationToken);

        var source = Side(run.Source, isSource: true, run.SourceCount, run.SortSource);
        if (run.Destination.Capabilities.HasDirectories)
        {
            source = RefuseFilesThatArePrefixesAsync(source, run.Source, run.Refused, cancellationToken);
        }

        var destination = Side(run.Destination, isSource: false, run.DestinationCount, run.SortDestination);

        // max-delete promises that a refused sync transferred nothing, so its transfers wait for the whole plan.
        var held = run.Options is { Delete: true, MaxDelete: not null, DryRun: false } ? new SpilledPairs(run.Spill, run.Options.SortMemoryEntries) : null;
        await foreach (var pair in ListingMerge.MergeAsync(source, destination, cancellationToken).ConfigureAwait(false))
        {
            if (Classify(run, pair) is { } item)
            {
                if (item.Destination is null)
                {
                    tracker.AddPlanned(item.Source!.Size);
                }

                if (held is not null)
                {
                    held.Add(item);
                }
                else
                {
                    await work.WriteAsync(item, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        CheckDeleteGuards(run);
        foreach (var item in held?.Read() ?? [])
        {
            await work.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Files one pair in the plan. Returns the work for it: the source entry to transfer, with the destination's
    /// when deciding needs a read (a checksum, the object's stored time); null when there is nothing to do.
    /// </summary>
    private static StoragePair? Classify(SyncRun run, StoragePair pair)
    {
        if (pair.Source is not { } source)
        {
            run.Plan.AddExtraneous(pair.Destination!);
            if (run.Options.Delete)
            {
                run.Deletes.Add(pair);
            }

            return null;
        }

        run.Keep?.Add(source.Key);
        if (run.Done.TryGetValue(source.Key, out bool wasNew))
        {
            // Transferred by an earlier attempt of this sync.
            (wasNew ? (Action<StorageEntry>)run.Plan.AddNew : run.Plan.AddChanged)(source);
            return null;
        }

        if (pair.Destination is not { } existing)
        {
            run.Plan.AddNew(source);
            return new StoragePair(source, null);
        }

        bool checksum = run.Options.Checksum;
        if (checksum && source.Size == existing.Size && (source.Md5 is null || existing.Md5 is null))
        {
            return pair;
        }

        if (!SyncPlan.IsChanged(source, existing, run.Options, run.Tolerance))
        {
            run.Plan.AddUnchanged(source);
            return null;
        }

        if (run.DownloadState is { } state && source.Size == existing.Size)
        {
            // Newer by time alone: a file this sync or rclone restored from the object keeps the source's older time.
            if (state.Matches(source, existing))
            {
                run.Plan.AddUnchanged(source);
                return null;
            }

            return pair;
        }

        run.Plan.AddChanged(source);
        return new StoragePair(source, null);
    }

    /// <summary>
    /// Decides a pair <see cref="Classify"/> could not: returns the entry to transfer (with its MD5 in checksum mode,
    /// which the transfer then verifies), or null when the destination is up to date.
    /// </summary>
    private async Task<StorageEntry?> DecideAsync(SyncRun run, StorageEntry source, StorageEntry existing, CancellationToken cancellationToken)
    {
        bool changed;
        if (run.Options.Checksum)
        {
            source = source with { Md5 = source.Md5 ?? await Md5OfAsync(run.Source, source.Key, cancellationToken).ConfigureAwait(false) };
            existing = existing with { Md5 = existing.Md5 ?? await Md5OfAsync(run.Destination, existing.Key, cancellationToken).ConfigureAwait(false) };
            changed = SyncPlan.IsChanged(source, existing, run.Options, run.Tolerance);
        }
        else
        {
            run.CountMetadataRead();
            changed = !await IsRestoredAsync((IObjectMetadataStorage)run.Source, source, existing, run.Destination.Capabilities.ModificationTimePrecision, run.DownloadState!, cancellationToken).ConfigureAwait(false);
        }

        if (!changed)
        {
            run.Plan.AddUnchanged(source);
            return null;
        }

        run.Plan.AddChanged(source);
        return source;
    }

    /// <summary>The empty-source and max-delete guards: they need the whole plan, and run before anything is deleted.</summary>
    private static void CheckDeleteGuards(SyncRun run)
    {
        if (!run.Options.Delete)
        {
            return;
        }

        run.SkippedSource = new SkippedSourceEntries(
            (run.Source as FileStorage)?.Skipped.Where(e => !run.Matcher.IsExcluded(e.Key)) ?? [],
            // Both sides' refusals: a key the destination refused is never listed as extraneous, so only the source's count.
            run.Refused.Select(f => f.Key));
        long toDelete = run.DeleteKeys().LongCount();
        if (run.SourceCount.Listed == 0 && !run.Options.AllowEmptySource && toDelete > 0)
        {
            throw new SyncRefusedException(
                SyncGuard.EmptySource,
                run.Options.Shard is { } shard
                    ? $"Shard {shard} of source '{run.Source.Location}' is empty (a mount that is not there?), so mirroring it would delete all {toDelete} files of that shard in '{run.Destination.Location}'"
                    : $"Source '{run.Source.Location}' is empty (a mount that is not there?), so mirroring it would delete all {toDelete} files in '{run.Destination.Location}'");
        }

        if (run.Options.MaxDelete is int max && toDelete > max)
        {
            throw new SyncException(
                $"Refusing to delete {toDelete} files from '{run.Destination.Location}': more than the limit of {max} (max-delete). Nothing was transferred or deleted.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing of {Location} is not in key order ({Detail}): planning again with it sorted (in memory up to {Entries} entries, spilled to disk beyond)")]
    private static partial void LogOutOfOrder(ILogger logger, StorageUri location, string detail, int entries);

    /// <summary>One sync's context and what its attempts found and did.</summary>
    private sealed class SyncRun(IStorage source, IStorage destination, SyncOptions options, ExcludeMatcher matcher, DownloadState? downloadState, SpillFolder spill, IProgress<SyncProgress>? progress)
    {
        private int _metadataReads;

        public IStorage Source => source;

        public IStorage Destination => destination;

        public SyncOptions Options => options;

        public ExcludeMatcher Matcher => matcher;

        public DownloadState? DownloadState => downloadState;

        /// <summary>Large downloads into a local folder go in parallel ranges (null: not this pair of storages).</summary>
        public RangedDownloader? Ranged { get; init; }

        public SpillFolder Spill => spill;

        public IProgress<SyncProgress>? Progress => progress;

        /// <summary>How much newer a source may look and still be the same file: the coarser side's time precision.</summary>
        public TimeSpan Tolerance { get; } = Max(source.Capabilities.ModificationTimePrecision, destination.Capabilities.ModificationTimePrecision) - TimeSpan.FromTicks(1);

        public bool SortSource { get; set; }

        public bool SortDestination { get; set; }

        public PlanBuilder Plan { get; private set; } = new();

        public SpilledPairs Deletes { get; private set; } = new(spill, options.SortMemoryEntries);

        public List<SyncFailure> Refused { get; private set; } = [];

        public List<SyncFailure> Skipped { get; private set; } = [];

        public ListingCount SourceCount { get; private set; } = new();

        public ListingCount DestinationCount { get; private set; } = new();

        /// <summary>The source keys the download state keeps records of (null without a download state).</summary>
        public HashSet<string>? Keep { get; private set; }

        public SkippedSourceEntries SkippedSource { get; set; } = new([]);

        /// <summary>Keys transferred, over all attempts.</summary>
        public List<string> Transferred { get; } = [];

        public List<SyncFailure> Failures { get; private set; } = [];

        /// <summary>The source entries of the transfers that failed, by key (guarded by <see cref="Failures"/>' lock).</summary>
        public Dictionary<string, StorageEntry> FailedEntries { get; private set; } = new(StringComparer.Ordinal);

        /// <summary>Failed keys with a file or folder in their way, whose failure is reported after ClearTypeConflictsAsync.</summary>
        public HashSet<string> Blocked { get; private set; } = new(StringComparer.Ordinal);

        /// <summary>The progress counts of the current attempt (null before the first).</summary>
        public ProgressTracker? Tracker { get; set; }

        /// <summary>Extraneous keys already deleted because they stood in a transfer's way (see ClearTypeConflictsAsync).</summary>
        public HashSet<string> DeletedEarly { get; } = new(StringComparer.Ordinal);

        public long BytesTransferred { get; set; }

        /// <summary>Keys an earlier attempt transferred, and whether they were new.</summary>
        public Dictionary<string, bool> Done { get; } = new(StringComparer.Ordinal);

        public int MetadataReads => Volatile.Read(ref _metadataReads);

        public void CountMetadataRead() => Interlocked.Increment(ref _metadataReads);

        /// <summary>The keys to delete: the extraneous ones no skipped source entry protects, in key order.</summary>
        public IEnumerable<string> DeleteKeys() => Deletes.Read().Select(p => p.Destination!.Key).Where(k => !SkippedSource.Protects(k));

        public void StartAttempt()
        {
            Plan = new PlanBuilder();
            Deletes = new SpilledPairs(spill, options.SortMemoryEntries);
            Refused = [];
            Skipped = [];
            SourceCount = new ListingCount();
            DestinationCount = new ListingCount();
            Keep = downloadState is null ? null : new HashSet<string>(StringComparer.Ordinal);
            Failures = [];
            FailedEntries = new Dictionary<string, StorageEntry>(StringComparer.Ordinal);
            Blocked = new HashSet<string>(StringComparer.Ordinal);
        }

        /// <summary>Remembers what this attempt transferred, so the next one counts it and does not send it again.</summary>
        public void CarryTransfers()
        {
            var sent = Transferred.ToHashSet(StringComparer.Ordinal);
            var plan = Plan.Build();
            foreach (var entry in plan.New.Where(e => sent.Contains(e.Key)))
            {
                Done.TryAdd(entry.Key, true);
            }

            foreach (var entry in plan.Changed.Where(e => sent.Contains(e.Key)))
            {
                Done.TryAdd(entry.Key, false);
            }
        }

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    }
}
