using Microsoft.Extensions.Logging;
using SyncTooling.Storage;
using SyncTooling.Storage.File;

namespace SyncTooling.Sync;

/// <summary>
/// Modification times and checksums that live in object metadata (rclone's <c>mtime</c> and <c>md5chksum</c>):
/// uploads store the source's time to the nanosecond, downloads restore it, and sync down tells a restored
/// file from a changed object by <see cref="DownloadState"/> or, without a record, by one HEAD.
/// </summary>
public sealed partial class SyncEngine
{
    private static DownloadState? OpenDownloadState(IStorage source, IStorage destination, StorageUri sourceUri, StorageUri destinationUri, SyncOptions options) =>
        source is IObjectMetadataStorage && destination is FileStorage && !options.Checksum
            ? DownloadState.Load(DownloadState.ResolveDirectory(options.StateDirectory), sourceUri, destinationUri)
            : null;

    /// <summary>
    /// Down from an object store, a same-size object that looks newer than the local file (the object's time is
    /// its upload time) is unchanged when the last sync recorded exactly this object and file (decided while merging),
    /// or when the object's stored source time equals the file's time (it was restored from it, by us or by rclone):
    /// one HEAD, recorded for the next sync.
    /// </summary>
    private static async Task<bool> IsRestoredAsync(IObjectMetadataStorage metadata, StorageEntry remote, StorageEntry local, TimeSpan precision, DownloadState state, CancellationToken cancellationToken)
    {
        ObjectMetadata stored;
        try
        {
            stored = await metadata.ReadMetadataAsync(remote.Key, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException)
        {
            return false; // Not confirmed: the download decides (and reports a real failure).
        }

        if (stored.SourceModified is { } time && (time.ToDateTimeOffset() - local.LastModified).Duration() < precision)
        {
            state.Set(remote, local.LastModified);
            return true;
        }

        return false;
    }

    /// <summary>The time the copy gets: the object's stored source time, else the local file's to the nanosecond, else the listing's.</summary>
    private static UnixTime SourceModified(IStorage source, StorageEntry entry, Stream stream)
    {
        if (stream is IObjectMetadataSource { Metadata.SourceModified: { } stored })
        {
            return stored;
        }

        if (source is FileStorage file && UnixFileTime.TryRead(file.PathOf(entry.Key)) is { } precise && precise.ToDateTimeOffset() == entry.LastModified)
        {
            return precise;
        }

        return UnixTime.From(entry.LastModified);
    }

    /// <summary>Writes one file with its source's time kept as exactly as the destination can, and records a download.</summary>
    private static async Task WriteWithTimeAsync(IStorage destination, StorageEntry entry, Stream content, UnixTime modified, DownloadState? state, CancellationToken cancellationToken)
    {
        if (destination is IObjectMetadataStorage metadata)
        {
            await metadata.WriteAsync(entry.Key, content, entry.Size, modified, cancellationToken).ConfigureAwait(false);
            return;
        }

        await destination.WriteAsync(entry.Key, content, entry.Size, modified.ToDateTimeOffset(), cancellationToken).ConfigureAwait(false);
        if (destination is FileStorage file)
        {
            KeepTime(file, entry, modified, state);
        }
    }

    /// <summary>Gives a downloaded file its source's time to the nanosecond and records the download.</summary>
    private static void KeepTime(FileStorage file, StorageEntry entry, UnixTime modified, DownloadState? state)
    {
        // The backend keeps 100 ns; the nanoseconds make the time equal to the source's for rclone too.
        string path = file.PathOf(entry.Key);
        UnixFileTime.TrySet(path, modified);
        if (state is not null && UnixFileTime.TryRead(path) is { } left)
        {
            state.Set(entry, left.ToDateTimeOffset());
        }
    }

    /// <summary>Saves the records of the source keys in <paramref name="keep"/>; the others are gone from the source.</summary>
    private void SaveDownloadState(DownloadState? state, HashSet<string>? keep)
    {
        if (state is null || keep is null)
        {
            return;
        }

        if (state.Save(keep) is string error)
        {
            LogStateNotSaved(_logger, state.Path, error);
        }
    }

    /// <summary>A whole-file MD5 without reading the file when the object store keeps one (one HEAD); otherwise the content is read and hashed.</summary>
    private async Task<string> Md5OfAsync(IStorage storage, string key, CancellationToken cancellationToken)
    {
        if (storage is IObjectMetadataStorage metadata)
        {
            if ((await metadata.ReadMetadataAsync(key, cancellationToken).ConfigureAwait(false)).Md5 is string stored)
            {
                return stored;
            }

            LogHashingWholeObject(_logger, key, storage.Location);
        }

        return await HashAsync(storage, key, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Read the stored modification time of {Count} objects in {Location} (one HEAD each; recorded for the next sync)")]
    private static partial void LogReadMetadata(ILogger logger, int count, StorageUri location);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not save the sync state {Path}: {Reason}; the next sync down will ask the object store again")]
    private static partial void LogStateNotSaved(ILogger logger, string? path, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Key} in {Location} has no stored MD5 (md5chksum): reading the whole object to hash it")]
    private static partial void LogHashingWholeObject(ILogger logger, string key, StorageUri location);
}
