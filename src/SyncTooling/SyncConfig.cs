using Microsoft.Extensions.Logging;
using SyncTooling.Validation;

namespace SyncTooling;

/// <summary>
/// Ray Tune's <c>SyncConfig</c>: where and how a run's directory is synced. Immutable; change it with
/// <c>with</c> expressions.
/// </summary>
public sealed record SyncConfig
{
    /// <summary>Where to sync to: a storage location such as <c>s3://bucket/path</c>, or null for no remote storage.</summary>
    public string? UploadDir { get; init; }

    /// <summary>
    /// <see cref="Syncer.Auto"/> (the default) picks storage by the <see cref="UploadDir"/> scheme; null disables
    /// syncing; any other instance is used as-is.
    /// </summary>
    public Syncer? Syncer { get; init; } = Syncer.Auto;

    /// <summary>Sync checkpoints when they are written (local and network file storage; cloud storage always does).</summary>
    public bool SyncOnCheckpoint { get; init; } = true;

    /// <summary>The least time between two periodic syncs: 300 seconds by default.</summary>
    public TimeSpan SyncPeriod { get; init; } = Syncer.DefaultSyncPeriod;

    /// <summary>The longest one sync may run: 30 minutes by default.</summary>
    public TimeSpan SyncTimeout { get; init; } = Syncer.DefaultSyncTimeout;

    /// <summary>Sync the run's artifacts too.</summary>
    public bool SyncArtifacts { get; init; }

    /// <summary>Sync artifacts with each checkpoint (only when <see cref="SyncArtifacts"/> is true).</summary>
    public bool SyncArtifactsOnCheckpoint { get; init; } = true;

    /// <summary>Checks the configuration with the rules the analyzers and MSBuild tasks use.</summary>
    /// <returns>The findings; empty when the configuration is fine.</returns>
    public IReadOnlyList<SyncFinding> Validate() => SyncRules.Check(new SyncConfigFacts
    {
        UploadDirKnown = true,
        UploadDir = UploadDir,
        Syncer = Syncer is null ? SyncerChoice.Disabled : ReferenceEquals(Syncer, Syncer.Auto) ? SyncerChoice.Auto : SyncerChoice.Custom,

        // At run time only a non-default value shows that a property was set.
        SyncOnCheckpointSet = !SyncOnCheckpoint,
        SyncArtifactsOnCheckpointSet = !SyncArtifactsOnCheckpoint,
        SyncArtifacts = SyncArtifacts,
        SyncPeriod = SyncPeriod,
        SyncTimeout = SyncTimeout,
    });

    /// <summary>
    /// Returns the configured syncer: a new <see cref="StorageSyncer"/> for <see cref="Syncer.Auto"/>, the custom
    /// instance as-is, or null when syncing is disabled (<c>Syncer = null</c>) or there is no <see cref="UploadDir"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The configuration has errors; the message lists each with its rule id.</exception>
    public Syncer? CreateSyncer(TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        var errors = Validate().Where(f => f.Severity == SyncFindingSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid SyncConfig: " + string.Join(" ", errors.Select(e => e.RuleId + ": " + e.Message)));
        }

        if (Syncer is null || UploadDir is null)
        {
            return null;
        }

        return ReferenceEquals(Syncer, Syncer.Auto)
            ? new StorageSyncer(syncPeriod: SyncPeriod, syncTimeout: SyncTimeout, timeProvider: timeProvider, logger: logger)
            : Syncer;
    }
}
