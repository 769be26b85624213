using SyncTooling.Storage;

namespace SyncTooling.Runs;

/// <summary>Settings of <see cref="RunSync"/> beyond <see cref="SyncConfig"/>.</summary>
public sealed record RunSyncOptions
{
    /// <summary>The folder inside the run directory that holds artifacts: <c>artifacts</c> by default.</summary>
    public string ArtifactsFolder { get; init; } = "artifacts";

    /// <summary>The clock (for the sync period and timeout).</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>A syncer to use instead of the one <see cref="SyncConfig.CreateSyncer"/> makes (it is not disposed by the run).</summary>
    public Syncer? Syncer { get; init; }

    /// <summary>Storage backends for the write check; <see cref="StorageRegistry.Default"/> when null.</summary>
    public StorageRegistry? Registry { get; init; }
}
