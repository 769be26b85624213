namespace SyncTooling.Sync.Planning;

/// <summary>
/// An append-only list of pairs (the keys a sync will delete, transfers held back for a guard) that keeps at most
/// <c>memoryEntries</c> in memory and appends the rest to one spill file; read back in the order added.
/// </summary>
internal sealed class SpilledPairs(SpillFolder spill, int memoryEntries)
{
    private readonly List<StoragePair> _held = [];
    private BinaryWriter? _writer;
    private string? _path;

    public long Count { get; private set; }

    public void Add(StoragePair entry)
    {
        _held.Add(entry);
        Count++;
        if (_held.Count >= memoryEntries)
        {
            _path ??= spill.NewFile();
            _writer ??= spill.Track(EntryRun.Create(_path));
            _held.ForEach(e => EntryRun.Write(_writer, e));
            _held.Clear();
        }
    }

    /// <summary>Every pair in the order added; may be read more than once after the last <see cref="Add"/>.</summary>
    public IEnumerable<StoragePair> Read()
    {
        _writer?.Dispose();
        _writer = null;
        return _path is null ? _held : EntryRun.ReadPairs(_path).Concat(_held);
    }
}
