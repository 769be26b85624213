using System.Globalization;
using System.Text;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;

namespace SyncTooling.Storage.Azure;

/// <summary>
/// Resuming staged block uploads: the block ids of one upload are its recorded prefix and the block number, so a
/// rerun that finds a record for the same blob, size, time and block size lists the blob's uncommitted blocks (Get
/// Block List) and skips every recorded block the service still holds under its id with its size, when the bytes
/// read again have the MD5 the block was staged with (the service checked that MD5 when it took the block). The
/// rest is staged, and one Put Block List commits them all. Azure has no abort: blocks that are never committed
/// are dropped by the service after a week, or when the blob is committed otherwise.
/// </summary>
public sealed partial class AzureBlobStorage : IResumableUploads
{
    private UploadCheckpoints? _checkpoints;

    private UploadCheckpoints Checkpoints => LazyInitializer.EnsureInitialized(
        ref _checkpoints,
        () =>
        {
            // The container's URL without its query (a SAS of a connection string may sit there), and the account.
            var uri = _endpoint.Client.Uri;
            return UploadCheckpoints.Open(_options.StateDirectory, "az", $"{uri.Scheme}://{uri.Host}:{uri.Port}{uri.AbsolutePath}|{_endpoint.Account}", _options.Logger);
        });

    /// <inheritdoc />
    Task IResumableUploads.AbandonUploadsAsync(Func<string, bool> stillWanted, CancellationToken cancellationToken)
    {
        foreach (var checkpoint in Checkpoints.All().ToList())
        {
            if (checkpoint.Key.StartsWith(_endpoint.KeyPrefix, StringComparison.Ordinal) && !stillWanted(checkpoint.Key[_endpoint.KeyPrefix.Length..]))
            {
                Checkpoints.Remove(checkpoint.Key);
                LogAbandoned(_options.Logger, Where(checkpoint.Key[_endpoint.KeyPrefix.Length..]));
            }
        }

        return Task.CompletedTask;
    }

    private static string BlockId(string upload, int number) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(upload + number.ToString("D6", CultureInfo.InvariantCulture)));

    /// <summary>Continues the recorded upload of <paramref name="blob"/> when it is of this very content, or starts a new one.</summary>
    private async Task<ResumableParts> StartOrResumeBlocksAsync(BlockBlobClient blob, string where, long length, UnixTime lastModified, CancellationToken cancellationToken)
    {
        var store = Checkpoints;
        string modified = lastModified.ToMetadataString();
        if (store.Load(blob.Name) is { } old)
        {
            if (old.Size == length && old.Modified == modified && old.PartSize == _blocks.PartSizeFor(length))
            {
                var staged = await UncommittedBlocksAsync(blob, where, cancellationToken).ConfigureAwait(false);
                var reusable = old.Parts
                    .Where(p => staged.TryGetValue(BlockId(old.UploadId, p.Number), out long size) && size == p.Size)
                    .ToDictionary(p => p.Number, p => (Part: p, Tag: BlockId(old.UploadId, p.Number)));
                LogResumed(_options.Logger, where, reusable.Count, reusable.Values.Sum(r => r.Part.Size), length);
                return new ResumableParts(old.UploadId, store, old with { Parts = [.. reusable.Values.Select(r => r.Part)] }, reusable, where);
            }

            LogStartedOver(_options.Logger, where);
            store.Remove(blob.Name);
        }

        // One id prefix per upload: two uploads of the same blob at once never commit each other's blocks.
        string upload = Guid.NewGuid().ToString("N");
        var checkpoint = new UploadCheckpoint { Key = blob.Name, UploadId = upload, Size = length, Modified = modified, PartSize = _blocks.PartSizeFor(length) };
        store.Save(checkpoint);
        return new ResumableParts(upload, store, store.Enabled ? checkpoint : null, new Dictionary<int, (CheckpointPart, string)>(), where);
    }

    /// <summary>The blob's uncommitted blocks by id, with their sizes; none when the blob does not exist.</summary>
    private async Task<Dictionary<string, long>> UncommittedBlocksAsync(BlockBlobClient blob, string where, CancellationToken cancellationToken)
    {
        try
        {
            var list = await CallAsync(ct => blob.GetBlockListAsync(BlockListTypes.Uncommitted, cancellationToken: ct), where, cancellationToken).ConfigureAwait(false);
            return list.Value.UncommittedBlocks.ToDictionary(b => b.Name, b => b.SizeLong, StringComparer.Ordinal);
        }
        catch (StorageException ex) when (ex.Kind == StorageErrorKind.NotFound || ex.InnerException is RequestFailedException { Status: 404 })
        {
            return [];
        }
    }

    [LoggerMessage(EventId = ResumeEvents.Resumed, Level = LogLevel.Information, Message = "Resuming the upload of {Where}: {Parts} blocks ({Bytes} of {Length} bytes) are staged already")]
    private static partial void LogResumed(ILogger logger, string where, int parts, long bytes, long length);

    [LoggerMessage(EventId = ResumeEvents.StartedOver, Level = LogLevel.Information, Message = "The local file of {Where} changed since its upload was interrupted; starting over")]
    private static partial void LogStartedOver(ILogger logger, string where);

    [LoggerMessage(EventId = ResumeEvents.Abandoned, Level = LogLevel.Information, Message = "Forgot the interrupted upload of {Where}: its file is no longer part of the sync (the service drops its blocks)")]
    private static partial void LogAbandoned(ILogger logger, string where);
}
