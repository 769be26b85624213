using SyncTooling.Storage;

namespace SyncTooling.Sync;

/// <summary>What a sync will do, computed from the two listings alone.</summary>
/// <remarks>
/// A plan the engine streamed (<see cref="SyncEngine.SyncAsync"/>) holds every new and changed entry, but of the
/// unchanged and extraneous ones only the first <see cref="SampleLimit"/> (in key order when there are no more):
/// <see cref="UnchangedCount"/> and <see cref="ExtraneousCount"/> count them all, so memory stays flat in the number of keys.
/// </remarks>
/// <param name="New">Source files the destination lacks.</param>
/// <param name="Changed">Source files whose destination copy differs.</param>
/// <param name="Extraneous">Destination files the source lacks (deleted only with <see cref="SyncOptions.Delete"/>); see <see cref="ExtraneousCount"/>.</param>
/// <param name="Unchanged">Source files already up to date; see <see cref="UnchangedCount"/>.</param>
public sealed record SyncPlan(
    IReadOnlyList<StorageEntry> New,
    IReadOnlyList<StorageEntry> Changed,
    IReadOnlyList<StorageEntry> Extraneous,
    IReadOnlyList<StorageEntry> Unchanged)
{
    /// <summary>How many unchanged and extraneous entries a streamed plan keeps in <see cref="Unchanged"/> and <see cref="Extraneous"/>.</summary>
    public const int SampleLimit = 10_000;

    private readonly int? _unchangedCount;
    private readonly int? _extraneousCount;

    /// <summary>Source files already up to date, all of them (<see cref="Unchanged"/> may hold only the first <see cref="SampleLimit"/>).</summary>
    public int UnchangedCount { get => _unchangedCount ?? Unchanged.Count; init => _unchangedCount = value; }

    /// <summary>Destination files the source lacks, all of them (<see cref="Extraneous"/> may hold only the first <see cref="SampleLimit"/>).</summary>
    public int ExtraneousCount { get => _extraneousCount ?? Extraneous.Count; init => _extraneousCount = value; }

    /// <summary>New and changed files, in key order (<see cref="KeyOrder"/>).</summary>
    public IEnumerable<StorageEntry> ToTransfer => New.Concat(Changed).OrderBy(e => e.Key, KeyOrder.Instance);

    /// <summary>Bytes to transfer.</summary>
    public long BytesToTransfer => New.Sum(e => e.Size) + Changed.Sum(e => e.Size);

    /// <summary>
    /// Compares two listings. A file is changed when the sizes differ or, by default, when the source is newer
    /// than the destination by more than <paramref name="timeTolerance"/> (as <c>aws s3 sync</c> does); with
    /// <paramref name="checksum"/>, when the MD5s differ (both entries must carry one). Same-size keys in
    /// <paramref name="restored"/> are unchanged whatever their times (a download restored the source's time,
    /// which is older than the object's upload time).
    /// </summary>
    public static SyncPlan Create(
        IReadOnlyDictionary<string, StorageEntry> source,
        IReadOnlyDictionary<string, StorageEntry> destination,
        bool checksum,
        TimeSpan timeTolerance,
        IReadOnlySet<string>? restored = null) =>
        Create(source, destination, new SyncOptions { Checksum = checksum }, timeTolerance, restored);

    /// <summary>
    /// Compares two listings as <paramref name="options"/> say: <see cref="SyncOptions.Checksum"/>,
    /// <see cref="SyncOptions.SizeOnly"/>, <see cref="SyncOptions.ExactTimestamps"/> or, by default, size and a newer source.
    /// </summary>
    public static SyncPlan Create(
        IReadOnlyDictionary<string, StorageEntry> source,
        IReadOnlyDictionary<string, StorageEntry> destination,
        SyncOptions options,
        TimeSpan timeTolerance,
        IReadOnlySet<string>? restored = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var @new = new List<StorageEntry>();
        var changed = new List<StorageEntry>();
        var unchanged = new List<StorageEntry>();
        foreach (var (key, entry) in source)
        {
            if (!destination.TryGetValue(key, out var existing))
            {
                @new.Add(entry);
            }
            else if (IsChanged(entry, existing, options, timeTolerance) && !(restored?.Contains(key) == true && !options.Checksum && entry.Size == existing.Size))
            {
                changed.Add(entry);
            }
            else
            {
                unchanged.Add(entry);
            }
        }

        var extraneous = destination.Values.Where(e => !source.ContainsKey(e.Key)).ToList();
        return new SyncPlan(@new, changed, extraneous, unchanged);
    }

    /// <summary>The per-pair comparison: sizes, then hashes, nothing, equal times or a newer source, as the options say.</summary>
    internal static bool IsChanged(StorageEntry source, StorageEntry destination, SyncOptions options, TimeSpan timeTolerance)
    {
        if (source.Size != destination.Size)
        {
            return true;
        }

        if (options.Checksum)
        {
            return !string.Equals(source.Md5, destination.Md5, StringComparison.OrdinalIgnoreCase) || source.Md5 is null;
        }

        if (options.SizeOnly)
        {
            return false;
        }

        var newer = source.LastModified - destination.LastModified;
        return options.ExactTimestamps ? newer.Duration() > timeTolerance : newer > timeTolerance;
    }
}
