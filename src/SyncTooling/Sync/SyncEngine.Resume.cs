using Microsoft.Extensions.Logging;
using SyncTooling.Storage;

namespace SyncTooling.Sync;

/// <summary>
/// Interrupted uploads of ours that no run will complete: after the transfers, a destination that keeps them for
/// a rerun (<see cref="IResumableUploads"/>) aborts those whose key this sync no longer transfers. Keys that are
/// excluded or in another shard are another run's business and stay.
/// </summary>
public sealed partial class SyncEngine
{
    private async Task AbandonUploadsAsync(IStorage destination, SyncPlan plan, ExcludeMatcher matcher, SyncOptions options, CancellationToken cancellationToken)
    {
        if (destination is not IResumableUploads resumable)
        {
            return;
        }

        var transferring = plan.ToTransfer.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        try
        {
            await resumable.AbandonUploadsAsync(
                key => transferring.Contains(key) || matcher.IsExcluded(key) || options.Shard?.Contains(key) == false,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StorageException or IOException or UnauthorizedAccessException)
        {
            // Only a cleanup: the sync itself is done, and what stays is aborted by the next run or a lifecycle rule.
            LogAbandonFailed(_logger, destination.Location, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not abort the abandoned uploads in {Location}: {Reason}")]
    private static partial void LogAbandonFailed(ILogger logger, StorageUri location, string reason);
}
