using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace SyncTooling.Storage.S3;

/// <summary>Ranged GETs for large downloads, each guarded by the ETag the listing saw (If-Match).</summary>
public sealed partial class S3Storage : IRangedReadStorage
{
    /// <inheritdoc />
    long IRangedReadStorage.RangedReadThreshold => _options.MultipartThreshold;

    /// <inheritdoc />
    async Task<Stream> IRangedReadStorage.OpenRangeAsync(string key, long offset, long length, string etag, CancellationToken cancellationToken)
    {
        StorageKey.Validate(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentException.ThrowIfNullOrEmpty(etag);
        string where = Where(key);
        GetObjectResponse response;
        try
        {
            response = await CallAsync(
                ct => _client.GetObjectAsync(
                    new GetObjectRequest { BucketName = _endpoint.Bucket, Key = _endpoint.KeyPrefix + key, ByteRange = new ByteRange(offset, offset + length - 1), EtagToMatch = etag },
                    ct),
                where,
                cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException ex) when (ex.InnerException is AmazonS3Exception { StatusCode: HttpStatusCode.PreconditionFailed })
        {
            throw new ObjectChangedException($"{where} changed since it was listed (its ETag is no longer {etag}); what was fetched of it was removed, and the next sync downloads the new version.", ex);
        }

        return new ResponseStream(response, where, ex => S3Errors.Classify(ex, _endpoint, where, default) ?? ex);
    }
}
