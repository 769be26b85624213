using Microsoft.Extensions.Logging;
using SyncTooling.Storage;
using SyncTooling.Sync;

namespace SyncTooling;

/// <summary>
/// The default syncer: picks the storage backend by each location's scheme (local paths, <c>file://</c>,
/// <c>memory://</c>, and whatever else the registry holds) and runs the incremental <see cref="SyncEngine"/>.
/// </summary>
public sealed class StorageSyncer : Syncer
{
    private readonly SyncEngine _engine;
    private readonly SyncOptions _options;
    private readonly IProgress<SyncProgress> _progress;

    /// <summary>Creates the syncer.</summary>
    /// <param name="options">Options for every sync (exclude patterns given to a call are added to <see cref="SyncOptions.Exclude"/>).</param>
    /// <param name="syncPeriod">See <see cref="Syncer.SyncPeriod"/>.</param>
    /// <param name="syncTimeout">See <see cref="Syncer.SyncTimeout"/>.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">Receives a line per sync.</param>
    /// <param name="registry">Storage backends; <see cref="StorageRegistry.Default"/> when null.</param>
    /// <param name="progress">Receives progress of each sync, as <see cref="Syncer.ProgressChanged"/> does.</param>
    public StorageSyncer(
        SyncOptions? options = null,
        TimeSpan? syncPeriod = null,
        TimeSpan? syncTimeout = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null,
        StorageRegistry? registry = null,
        IProgress<SyncProgress>? progress = null)
        : base(syncPeriod, syncTimeout, timeProvider, logger)
    {
        _options = options ?? new SyncOptions();
        _options.Validate();
        _engine = new SyncEngine(registry, logger, timeProvider);
        _progress = new ForwardedProgress(this, progress);
    }

    /// <inheritdoc />
    protected override void ValidateLocations(string source, string? destination)
    {
        StorageUri.Parse(source);
        if (destination is not null)
        {
            StorageUri.Parse(destination);
        }
    }

    /// <inheritdoc />
    protected override Task SyncUpCoreAsync(string localDir, string remoteDir, IReadOnlyList<string> exclude, CancellationToken cancellationToken) =>
        RunAsync(localDir, remoteDir, exclude, cancellationToken);

    /// <inheritdoc />
    protected override Task SyncDownCoreAsync(string remoteDir, string localDir, IReadOnlyList<string> exclude, CancellationToken cancellationToken) =>
        RunAsync(remoteDir, localDir, exclude, cancellationToken);

    /// <inheritdoc />
    protected override Task DeleteCoreAsync(string remoteDir, CancellationToken cancellationToken) =>
        _engine.DeleteAsync(StorageUri.Parse(remoteDir), _options.DryRun, retries: _options.Retries, cancellationToken: cancellationToken);

    // The Task<SyncResult> is what the base hands back from SyncUpAsync, SyncDownAsync and Wait.
    private async Task<SyncResult> RunAsync(string source, string destination, IReadOnlyList<string> exclude, CancellationToken cancellationToken)
    {
        var options = exclude.Count == 0 ? _options : _options with { Exclude = [.. _options.Exclude, .. exclude] };
        var result = await _engine.SyncAsync(StorageUri.Parse(source), StorageUri.Parse(destination), options, _progress, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            var first = result.Failures[0];
            throw new SyncException(
                $"{result.Failures.Count} of {result.Plan.New.Count + result.Plan.Changed.Count} files failed to sync to '{StorageUri.Parse(destination)}'; first: {first.Key}: {first.Message}",
                result);
        }

        return result;
    }

    private sealed class ForwardedProgress(StorageSyncer syncer, IProgress<SyncProgress>? progress) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value)
        {
            progress?.Report(value);
            syncer.OnProgressChanged(value);
        }
    }
}
