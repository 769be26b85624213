using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Validation;

namespace SyncTooling.Sync;

/// <summary>Large downloads in parallel ranges, resumed after an interruption (<see cref="RangedDownloader"/>).</summary>
public sealed partial class SyncEngine
{
    private static async Task DownloadInRangesAsync(RangedDownloader ranged, IStorage source, FileStorage destination, StorageEntry entry, ProgressTracker tracker, DownloadState? downloadState, CancellationToken cancellationToken)
    {
        // The key goes before the query (s3://b/run/key?endpoint_override=...), as S3Storage names it.
        string where = $"'{StorageUriGrammar.Join(source.Location.ToString(), entry.Key)}'";
        var modified = await ranged.DownloadAsync(entry, where, tracker, cancellationToken).ConfigureAwait(false);
        KeepTime(destination, entry, modified, downloadState);
    }
}
