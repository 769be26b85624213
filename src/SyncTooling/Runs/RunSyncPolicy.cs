using SyncTooling.Storage;

namespace SyncTooling.Runs;

/// <summary>
/// Ray Tune's decisions about what a run sync sends where, in one place, shared by <see cref="RunSync"/> and
/// <c>sync watch</c>: checkpoint folders (<c>checkpoint_*</c> at the top of the run directory) are uploaded on
/// their own when written if the storage is in the cloud or <see cref="SyncConfig.SyncOnCheckpoint"/> is on,
/// and otherwise ride along with the periodic sync; the artifacts folder is synced only with
/// <see cref="SyncConfig.SyncArtifacts"/>, and with each checkpoint only when
/// <see cref="SyncConfig.SyncArtifactsOnCheckpoint"/> is on too.
/// </summary>
public sealed class RunSyncPolicy
{
    /// <summary>Checkpoint folders are the run directory's top-level folders whose names start with this.</summary>
    public const string CheckpointPrefix = "checkpoint_";

    private readonly SyncConfig _config;

    /// <summary>Creates the policy for one run.</summary>
    /// <param name="config">The sync settings.</param>
    /// <param name="remoteRunDir">Where the run directory goes.</param>
    /// <param name="artifactsFolder">The run directory's artifacts folder: one path segment.</param>
    /// <exception cref="ArgumentException"><paramref name="artifactsFolder"/> is not one path segment.</exception>
    public RunSyncPolicy(SyncConfig config, StorageUri remoteRunDir, string artifactsFolder = "artifacts")
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(remoteRunDir);
        if (string.IsNullOrEmpty(artifactsFolder) || StorageKey.Check(artifactsFolder) is not null || artifactsFolder.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The artifacts folder '{artifactsFolder}' must be one folder name inside the run directory: no '/', '\\', '..' or '.'.", nameof(artifactsFolder));
        }

        _config = config;
        RemoteRunDir = remoteRunDir;
        ArtifactsFolder = artifactsFolder;
    }

    /// <summary>Where the run directory goes.</summary>
    public StorageUri RemoteRunDir { get; }

    /// <summary>The artifacts folder's name.</summary>
    public string ArtifactsFolder { get; }

    /// <summary>True when each checkpoint is uploaded as soon as it is written (cloud storage, or <see cref="SyncConfig.SyncOnCheckpoint"/>).</summary>
    public bool UploadsCheckpointsWhenWritten => RemoteRunDir.IsCloud || _config.SyncOnCheckpoint;

    /// <summary>True when the artifacts folder is synced after each checkpoint upload.</summary>
    public bool UploadsArtifactsWithCheckpoints => UploadsCheckpointsWhenWritten && _config.SyncArtifacts && _config.SyncArtifactsOnCheckpoint;

    /// <summary>Excludes of the periodic sync of the run state: checkpoints when they go on their own, artifacts unless synced.</summary>
    public IReadOnlyList<string> PeriodicExcludes
    {
        get
        {
            var exclude = new List<string>(2);
            if (UploadsCheckpointsWhenWritten)
            {
                exclude.Add(CheckpointPrefix + "*/");
            }

            if (!_config.SyncArtifacts)
            {
                exclude.Add(ArtifactsFolder + "/");
            }

            return exclude;
        }
    }

    /// <summary>Excludes of the final sync: everything goes, checkpoints included, but artifacts only when synced.</summary>
    public IReadOnlyList<string> FinalExcludes => _config.SyncArtifacts ? [] : [ArtifactsFolder + "/"];

    /// <summary>True for a checkpoint folder's name.</summary>
    public static bool IsCheckpointName(string folderName) =>
        folderName is not null && folderName.Length > CheckpointPrefix.Length && folderName.StartsWith(CheckpointPrefix, StringComparison.Ordinal);

    /// <summary>Where a checkpoint folder goes.</summary>
    public StorageUri CheckpointDestination(string checkpointName) => RemoteRunDir.Join(checkpointName);

    /// <summary>Where the artifacts folder goes.</summary>
    public StorageUri ArtifactsDestination => RemoteRunDir.Join(ArtifactsFolder);
}
