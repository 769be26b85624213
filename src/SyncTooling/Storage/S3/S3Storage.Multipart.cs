using System.Security.Cryptography;
using Amazon.S3.Model;

namespace SyncTooling.Storage.S3;

public sealed partial class S3Storage
{
    /// <summary>
    /// One multipart upload: parts go through the storage's <see cref="PartUploader"/> (pooled buffers, uploaded in
    /// parallel, at most <see cref="S3StorageOptions.PartsInFlight"/> across the storage).
    /// On failure or cancellation the upload is aborted (where the server supports it), so no object appears.
    /// </summary>
    private sealed class MultipartUpload(S3Storage owner, string fullKey, string where, DateTimeOffset lastModified)
    {
        public async Task RunAsync(Stream content, CancellationToken cancellationToken)
        {
            string? md5Hex = content.CanSeek ? await HashAndRewindAsync(content, cancellationToken).ConfigureAwait(false) : null;
            var endpoint = owner._endpoint;
            var initiate = new InitiateMultipartUploadRequest { BucketName = endpoint.Bucket, Key = fullKey };
            Prepare(initiate.Metadata, lastModified, md5Hex);
            var started = await owner.CallAsync(ct => owner._client.InitiateMultipartUploadAsync(initiate, ct), where, cancellationToken).ConfigureAwait(false);
            string uploadId = started.UploadId;

            try
            {
                var parts = await owner._parts.UploadAsync(content, (partNumber, data, ct) => UploadPartAsync(uploadId, partNumber, data, ct), cancellationToken: cancellationToken).ConfigureAwait(false);
                var complete = new CompleteMultipartUploadRequest { BucketName = endpoint.Bucket, Key = fullKey, UploadId = uploadId, PartETags = [.. parts] };
                await owner.CallAsync(ct => owner._client.CompleteMultipartUploadAsync(complete, ct), where, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await AbortAsync(uploadId).ConfigureAwait(false);
                throw;
            }
        }

        private async Task<PartETag> UploadPartAsync(string uploadId, int partNumber, ArraySegment<byte> data, CancellationToken cancellationToken)
        {
#pragma warning disable CA5351 // Content-MD5 is what S3 verifies parts with.
            string md5 = Convert.ToBase64String(MD5.HashData(data));
#pragma warning restore CA5351
            var response = await owner.CallAsync(
                async ct =>
                {
                    var request = new UploadPartRequest
                    {
                        BucketName = owner._endpoint.Bucket,
                        Key = fullKey,
                        UploadId = uploadId,
                        PartNumber = partNumber,
                        InputStream = new MemoryStream(data.Array!, data.Offset, data.Count, writable: false),
                        PartSize = data.Count,
                        MD5Digest = md5,
                    };
                    if (owner._endpoint.Compatible)
                    {
                        request.UseChunkEncoding = false;
                    }

                    return await owner._client.UploadPartAsync(request, ct).ConfigureAwait(false);
                },
                $"{where} part {partNumber}",
                cancellationToken).ConfigureAwait(false);
            return new PartETag(partNumber, response.ETag);
        }

        private async Task AbortAsync(string uploadId)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await owner._client.AbortMultipartUploadAsync(owner._endpoint.Bucket, fullKey, uploadId, timeout.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Best effort: some servers (s3rver) lack AbortMultipartUpload; the original error matters more.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        private static async Task<string> HashAndRewindAsync(Stream content, CancellationToken cancellationToken)
        {
            long start = content.Position;
#pragma warning disable CA5351 // Stored for checksum-mode comparisons, like S3's own ETags.
            byte[] hash = await MD5.HashDataAsync(content, cancellationToken).ConfigureAwait(false);
#pragma warning restore CA5351
            content.Position = start;
            return Convert.ToHexStringLower(hash);
        }
    }
}
