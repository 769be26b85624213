using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Task = System.Threading.Tasks.Task;
using SyncTooling.Storage;

namespace SyncTooling.Build;

/// <summary>Deletes everything below <see cref="SyncTaskBase.RemoteDir"/>.</summary>
public sealed class SyncDelete : SyncTaskBase
{
    /// <summary>Allow a RemoteDir that is a file system root, the home folder, a folder holding it, or a whole bucket (refused otherwise, SYNCB006).</summary>
    public bool Force { get; set; }

    /// <summary>The deleted keys (relative POSIX paths); in a dry run, the keys that would be deleted.</summary>
    [Output]
    public ITaskItem[] DeletedFiles { get; private set; } = [];

    /// <summary>How many files were (or would be) deleted.</summary>
    [Output]
    public int DeletedCount { get; private set; }

    /// <inheritdoc />
    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        var remote = StorageUri.Parse(RemoteDir);
        var keys = await CreateEngine().DeleteAsync(remote, DryRun, Force, Retries, cancellationToken).ConfigureAwait(false);

        DeletedFiles = keys.Select(k => (ITaskItem)new TaskItem(k)).ToArray();
        DeletedCount = keys.Count;
        Log.LogMessageFromResources(MessageImportance.High, DryRun ? "DeleteDryRunSummary" : "DeleteSummary", remote, keys.Count);
        foreach (string key in keys)
        {
            Log.LogMessageFromResources(MessageImportance.Low, DryRun ? "FileWouldDelete" : "FileDeleted", key);
        }
    }
}
