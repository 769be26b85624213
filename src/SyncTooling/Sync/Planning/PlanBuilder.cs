using SyncTooling.Storage;

namespace SyncTooling.Sync.Planning;

/// <summary>
/// Collects a streamed plan. New and changed entries are kept (they are the work and the result lists); unchanged
/// and extraneous ones are counted, with the first <see cref="SyncPlan.SampleLimit"/> of each kept, so a plan of
/// a million unchanged keys costs no more memory than one of ten thousand. Safe for concurrent use.
/// </summary>
internal sealed class PlanBuilder
{
    private readonly List<StorageEntry> _new = [];
    private readonly List<StorageEntry> _changed = [];
    private readonly List<StorageEntry> _unchanged = [];
    private readonly List<StorageEntry> _extraneous = [];
    private readonly Lock _lock = new();
    private int _unchangedCount;
    private int _extraneousCount;

    public void AddNew(StorageEntry entry) => Add(_new, entry);

    public void AddChanged(StorageEntry entry) => Add(_changed, entry);

    public void AddUnchanged(StorageEntry entry) => AddCounted(_unchanged, ref _unchangedCount, entry);

    public void AddExtraneous(StorageEntry entry) => AddCounted(_extraneous, ref _extraneousCount, entry);

    /// <summary>The plan, every list in key order.</summary>
    public SyncPlan Build()
    {
        lock (_lock)
        {
            return new SyncPlan(Sorted(_new), Sorted(_changed), Sorted(_extraneous), Sorted(_unchanged))
            {
                UnchangedCount = _unchangedCount,
                ExtraneousCount = _extraneousCount,
            };
        }
    }

    private static List<StorageEntry> Sorted(List<StorageEntry> entries)
    {
        var copy = entries.ToList();
        copy.Sort((a, b) => KeyOrder.CompareKeys(a.Key, b.Key));
        return copy;
    }

    private void Add(List<StorageEntry> list, StorageEntry entry)
    {
        lock (_lock)
        {
            list.Add(entry);
        }
    }

    private void AddCounted(List<StorageEntry> sample, ref int count, StorageEntry entry)
    {
        lock (_lock)
        {
            if (++count <= SyncPlan.SampleLimit)
            {
                sample.Add(entry);
            }
        }
    }
}
