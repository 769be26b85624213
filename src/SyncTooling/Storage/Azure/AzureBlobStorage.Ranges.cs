using Azure;
using Azure.Storage.Blobs.Models;

namespace SyncTooling.Storage.Azure;

/// <summary>Ranged downloads of large blobs, each guarded by the ETag the listing saw (If-Match).</summary>
public sealed partial class AzureBlobStorage : IRangedReadStorage
{
    /// <inheritdoc />
    long IRangedReadStorage.RangedReadThreshold => _options.BlockUploadThreshold;

    /// <inheritdoc />
    async Task<Stream> IRangedReadStorage.OpenRangeAsync(string key, long offset, long length, string etag, CancellationToken cancellationToken)
    {
        StorageKey.Validate(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentException.ThrowIfNullOrEmpty(etag);
        var blob = _endpoint.Client.GetBlobClient(_endpoint.KeyPrefix + key);
        var options = new BlobDownloadOptions { Range = new HttpRange(offset, length), Conditions = new BlobRequestConditions { IfMatch = new ETag(etag) } };
        try
        {
            var response = await CallAsync(ct => blob.DownloadStreamingAsync(options, ct), Where(key), cancellationToken).ConfigureAwait(false);
            return new MetadataStream(response.Value.Content, MetadataOf(response.Value.Details.Metadata, null));
        }
        catch (StorageException ex) when (ex.InnerException is RequestFailedException { Status: 412 })
        {
            throw new ObjectChangedException($"{Where(key)} changed since it was listed (its ETag is no longer {etag}); what was fetched of it was removed, and the next sync downloads the new version.", ex);
        }
    }
}
