using System.Globalization;
using System.Text;
using SyncTooling.Storage;

namespace SyncTooling.Runs;

/// <summary>
/// Syncs one trial of a long run with Ray Tune's policy, using the layout Ray 2.7+ uses:
/// <c>{UploadDir}/{experiment}/{trial}/checkpoint_{i:000000}</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="StartAsync"/> writes and reads back a marker in the experiment folder, so storage that is
/// not writable fails at once, not at the first checkpoint.</item>
/// <item><see cref="Report"/> (after each step) syncs the run state (everything but checkpoint folders, and
/// artifacts only when <see cref="SyncConfig.SyncArtifacts"/>) at most every <see cref="SyncConfig.SyncPeriod"/>,
/// in the background, skipped while a sync is in flight.</item>
/// <item><see cref="CheckpointAsync"/> uploads a checkpoint now and waits (with retries) for cloud storage, and
/// for file storage when <see cref="SyncConfig.SyncOnCheckpoint"/>; otherwise the checkpoint goes with the next
/// periodic sync.</item>
/// <item><see cref="CompleteAsync"/> (and <see cref="DisposeAsync"/>) run a final, forced sync and wait for it.</item>
/// </list>
/// With no UploadDir, or <c>Syncer = null</c>, nothing leaves the local run directory.
/// </remarks>
public sealed class RunSync : IAsyncDisposable
{
    /// <summary>The marker written to the experiment folder by <see cref="StartAsync"/>.</summary>
    public const string WriteCheckMarker = ".synctooling-write-check";

    /// <summary>Checkpoint folders are named <c>checkpoint_</c> and six digits.</summary>
    public const string CheckpointPrefix = RunSyncPolicy.CheckpointPrefix;

    private readonly SyncConfig _config;
    private readonly Syncer? _syncer;
    private readonly RunSyncOptions _options;
    private readonly RunSyncPolicy? _policy;
    private int _checkpoints;
    private bool _completed;

    private RunSync(SyncConfig config, Syncer? syncer, string localRunDir, string? remoteTrialDir, RunSyncOptions options)
    {
        _config = config;
        _syncer = syncer;
        _options = options;
        LocalRunDir = localRunDir;
        RemoteTrialDir = remoteTrialDir;
        _policy = remoteTrialDir is null ? null : new RunSyncPolicy(config, StorageUri.Parse(remoteTrialDir), options.ArtifactsFolder);
    }

    /// <summary>The local trial directory.</summary>
    public string LocalRunDir { get; }

    /// <summary><c>{UploadDir}/{experiment}/{trial}</c>, or null when nothing is synced.</summary>
    public string? RemoteTrialDir { get; }

    /// <summary>How many periodic syncs <see cref="Report"/> started.</summary>
    public int PeriodicSyncs { get; private set; }

    /// <summary>Checks the configuration, creates the syncer and proves the storage is writable.</summary>
    /// <exception cref="ArgumentException">The configuration has errors, or a name is not a single path segment.</exception>
    /// <exception cref="StorageException">The storage is not writable; nothing was synced.</exception>
    public static async Task<RunSync> StartAsync(SyncConfig config, string localRunDir, string experiment, string trial, RunSyncOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrEmpty(localRunDir);
        CheckSegment(experiment, nameof(experiment));
        CheckSegment(trial, nameof(trial));
        options ??= new RunSyncOptions();
        Directory.CreateDirectory(localRunDir);
        var syncer = options.Syncer ?? config.CreateSyncer(options.TimeProvider);
        if (syncer is null)
        {
            return new RunSync(config, null, localRunDir, null, options);
        }

        var experimentDir = StorageUri.Parse(config.UploadDir!).Join(experiment);
        await CheckWritableAsync(experimentDir, options.Registry ?? StorageRegistry.Default, cancellationToken).ConfigureAwait(false);
        return new RunSync(config, syncer, localRunDir, experimentDir.Join(trial).ToUnredactedString(), options);
    }

    /// <summary>
    /// Call after each step: starts a background sync of the run state when <see cref="SyncConfig.SyncPeriod"/> has
    /// passed since the last one, unless one is still running.
    /// </summary>
    /// <returns>True when a sync was started.</returns>
    public bool Report()
    {
        ThrowIfCompleted();
        if (_syncer is null || !_syncer.SyncUpIfNeeded(LocalRunDir, RemoteTrialDir!, _policy!.PeriodicExcludes))
        {
            return false;
        }

        PeriodicSyncs++;
        return true;
    }

    /// <summary>
    /// Records a checkpoint folder (inside <see cref="LocalRunDir"/>, named <c>checkpoint_NNNNNN</c>) and uploads it
    /// as the policy says.
    /// </summary>
    /// <returns>The remote checkpoint location, or null when nothing is synced.</returns>
    public async Task<string?> CheckpointAsync(string checkpointDir, CancellationToken cancellationToken = default)
    {
        ThrowIfCompleted();
        ArgumentException.ThrowIfNullOrEmpty(checkpointDir);
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(checkpointDir));
        if (!name.StartsWith(CheckpointPrefix, StringComparison.Ordinal) || !Directory.Exists(checkpointDir))
        {
            throw new ArgumentException($"'{checkpointDir}' is not an existing folder named {CheckpointPrefix}NNNNNN.", nameof(checkpointDir));
        }

        _checkpoints++;
        if (_syncer is null)
        {
            return null;
        }

        string remote = _policy!.CheckpointDestination(name).ToUnredactedString();
        if (!_policy.UploadsCheckpointsWhenWritten)
        {
            // File storage with SyncOnCheckpoint = false: best effort, with the next periodic sync.
            return remote;
        }

        await _syncer.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _syncer.SyncUpAsync(checkpointDir, remote, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (_policy.UploadsArtifactsWithCheckpoints && Directory.Exists(ArtifactsPath))
        {
            await _syncer.SyncUpAsync(ArtifactsPath, _policy.ArtifactsDestination.ToUnredactedString(), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return remote;
    }

    /// <summary>Runs the final, forced sync of everything the policy syncs, and waits for it; errors surface here.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        if (_syncer is null)
        {
            return;
        }

        // Let a periodic sync in flight finish first; its failure is superseded by the final sync.
        try
        {
            await _syncer.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
        }

        await _syncer.SyncUpAsync(LocalRunDir, RemoteTrialDir!, _policy!.FinalExcludes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes the run (see <see cref="CompleteAsync"/>) and releases the syncer it created.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await CompleteAsync().ConfigureAwait(false);
        }
        finally
        {
            if (_syncer is not null && _options.Syncer is null && !ReferenceEquals(_syncer, _config.Syncer))
            {
                await _syncer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private string ArtifactsPath => Path.Combine(LocalRunDir, _options.ArtifactsFolder);

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The run is complete; start a new RunSync for another run.");
        }
    }

    private static void CheckSegment(string value, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, name);
        if (StorageKey.Check(value) is not null || value.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The {name} name '{value}' must be one path segment: no '/', '\\', '..' or '.'.", name);
        }
    }

    private static async Task CheckWritableAsync(StorageUri experimentDir, StorageRegistry registry, CancellationToken cancellationToken)
    {
        var storage = registry.Open(experimentDir);
        await using (storage.ConfigureAwait(false))
        {
            byte[] marker = Encoding.UTF8.GetBytes("written by SyncTooling at " + DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            await storage.WriteAsync(WriteCheckMarker, new MemoryStream(marker), marker.Length, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
            var stream = await storage.OpenReadAsync(WriteCheckMarker, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
                if (!copy.ToArray().AsSpan().SequenceEqual(marker))
                {
                    throw new StorageException(StorageErrorKind.Permanent, $"'{experimentDir}' returned different bytes than were written to it; check the storage endpoint.");
                }
            }
        }
    }
}
