using SyncTooling.Sync;

namespace SyncTooling;

public abstract partial class Syncer
{
    /// <summary>
    /// Progress of the running sync: files and bytes done of the planned total, and the file that finished last. Raised on
    /// the thread that made the progress (often a transfer worker), so a handler returns quickly and does not throw.
    /// Raised by <see cref="StorageSyncer"/>; a custom syncer raises it with <see cref="OnProgressChanged"/>.
    /// </summary>
    public event EventHandler<SyncProgress>? ProgressChanged;

    /// <summary>Raises <see cref="ProgressChanged"/>.</summary>
    protected virtual void OnProgressChanged(SyncProgress progress) => ProgressChanged?.Invoke(this, progress);
}
