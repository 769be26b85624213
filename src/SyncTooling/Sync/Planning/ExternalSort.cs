using SyncTooling.Storage;

namespace SyncTooling.Sync.Planning;

/// <summary>
/// Sorts a listing in <see cref="KeyOrder"/> with bounded memory: up to <c>memoryEntries</c> entries are held and
/// sorted in memory; beyond that each full batch is sorted and spilled to a run file, and the runs are merged k-way
/// on reading. Equal keys keep their listing order (a later duplicate comes later), as the merge expects.
/// </summary>
internal sealed class ExternalSort(SpillFolder spill, int memoryEntries)
{
    /// <summary>How many run files one merge reads at once.</summary>
    internal const int MaxOpenRuns = 64;

    private readonly List<StorageEntry> _batch = [];
    private readonly List<string> _runs = [];

    /// <summary>How many sorted runs were spilled.</summary>
    public int RunsSpilled { get; private set; }

    public void Add(StorageEntry entry)
    {
        _batch.Add(entry);
        if (_batch.Count >= memoryEntries)
        {
            Spill();
        }
    }

    /// <summary>Everything added, in key order. Read once, after the last <see cref="Add"/>.</summary>
    public IEnumerable<StorageEntry> ReadSorted()
    {
        SortBatch();
        if (_runs.Count == 0)
        {
            return _batch;
        }

        if (_batch.Count > 0)
        {
            Spill();
        }

        // Merge the earliest runs into one until few enough are left to open at once (a file descriptor each).
        while (_runs.Count > MaxOpenRuns)
        {
            var first = _runs.Take(MaxOpenRuns).ToList();
            string merged = spill.NewFile();
            using (var writer = EntryRun.Create(merged))
            {
                foreach (var entry in Merge(first.Select(EntryRun.Read).ToList()))
                {
                    EntryRun.Write(writer, entry);
                }
            }

            first.ForEach(File.Delete);
            _runs.RemoveRange(0, MaxOpenRuns);
            _runs.Insert(0, merged);
        }

        return Merge(_runs.Select(EntryRun.Read).ToList());
    }

    /// <summary>A k-way merge of sorted sequences; ties go to the earlier sequence (the earlier part of the listing).</summary>
    internal static IEnumerable<StorageEntry> Merge(IReadOnlyList<IEnumerable<StorageEntry>> sequences)
    {
        var cursors = sequences.Select(s => s.GetEnumerator()).ToList();
        try
        {
            var heads = new PriorityQueue<int, (string Key, int Run)>(Comparer<(string Key, int Run)>.Create(
                (a, b) => KeyOrder.CompareKeys(a.Key, b.Key) is var byKey && byKey != 0 ? byKey : a.Run.CompareTo(b.Run)));
            for (int i = 0; i < cursors.Count; i++)
            {
                if (cursors[i].MoveNext())
                {
                    heads.Enqueue(i, (cursors[i].Current.Key, i));
                }
            }

            while (heads.TryDequeue(out int run, out _))
            {
                yield return cursors[run].Current;
                if (cursors[run].MoveNext())
                {
                    heads.Enqueue(run, (cursors[run].Current.Key, run));
                }
            }
        }
        finally
        {
            cursors.ForEach(c => c.Dispose());
        }
    }

    private void SortBatch()
    {
        // List.Sort is not stable; the index breaks ties so a duplicate keeps its place after the first.
        var indexed = _batch.Select((e, i) => (Entry: e, Index: i)).ToArray();
        Array.Sort(indexed, (a, b) => KeyOrder.CompareKeys(a.Entry.Key, b.Entry.Key) is var byKey && byKey != 0 ? byKey : a.Index.CompareTo(b.Index));
        _batch.Clear();
        _batch.AddRange(indexed.Select(x => x.Entry));
    }

    private void Spill()
    {
        SortBatch();
        string path = spill.NewFile();
        using (var writer = EntryRun.Create(path))
        {
            _batch.ForEach(e => EntryRun.Write(writer, e));
        }

        _runs.Add(path);
        RunsSpilled++;
        _batch.Clear();
    }
}
