using System.Buffers;
using System.Security.Cryptography;
using Amazon.S3.Model;

namespace SyncTooling.Storage.S3;

public sealed partial class S3Storage
{
    /// <summary>
    /// One multipart upload: parts are read one after another into pooled buffers and uploaded in parallel; a
    /// buffer is taken only with a slot of the storage-wide <see cref="S3StorageOptions.PartsInFlight"/> limit.
    /// On failure or cancellation the upload is aborted (where the server supports it), so no object appears.
    /// </summary>
    private sealed class MultipartUpload(S3Storage owner, string fullKey, string where, UnixTime lastModified)
    {
        public async Task RunAsync(Stream content, CancellationToken cancellationToken)
        {
            string? md5Hex = content.CanSeek ? await HashAndRewindAsync(content, cancellationToken).ConfigureAwait(false) : null;
            var endpoint = owner._endpoint;
            var initiate = new InitiateMultipartUploadRequest { BucketName = endpoint.Bucket, Key = fullKey, ContentType = ContentTypes.For(fullKey) };
            Prepare(initiate.Metadata, lastModified, md5Hex);
            var started = await owner.CallAsync(ct => owner._client.InitiateMultipartUploadAsync(initiate, ct), where, cancellationToken).ConfigureAwait(false);
            string uploadId = started.UploadId;

            using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var uploads = new List<Task<PartETag>>();
            try
            {
                for (int partNumber = 1; ; partNumber++)
                {
                    await owner._partSlots.WaitAsync(failed.Token).ConfigureAwait(false);
                    byte[] buffer = ArrayPool<byte>.Shared.Rent(owner._options.PartSize);
                    int count;
                    try
                    {
                        count = await content.ReadAtLeastAsync(buffer.AsMemory(0, owner._options.PartSize), owner._options.PartSize, throwOnEndOfStream: false, failed.Token).ConfigureAwait(false);
                    }
                    catch
                    {
                        Release(buffer);
                        throw;
                    }

                    if (count == 0 && partNumber > 1)
                    {
                        Release(buffer);
                        break;
                    }

                    uploads.Add(UploadPartAsync(uploadId, partNumber, buffer, count, failed));
                    if (count < owner._options.PartSize)
                    {
                        break;
                    }
                }

                var parts = await Task.WhenAll(uploads).ConfigureAwait(false);
                var complete = new CompleteMultipartUploadRequest { BucketName = endpoint.Bucket, Key = fullKey, UploadId = uploadId, PartETags = [.. parts.OrderBy(p => p.PartNumber)] };
                await owner.CallAsync(ct => owner._client.CompleteMultipartUploadAsync(complete, ct), where, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await failed.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(uploads.Select(t => t.ContinueWith(static _ => { }, TaskScheduler.Default))).ConfigureAwait(false);
                await AbortAsync(uploadId).ConfigureAwait(false);
                throw;
            }
        }

        private async Task<PartETag> UploadPartAsync(string uploadId, int partNumber, byte[] buffer, int count, CancellationTokenSource failed)
        {
            try
            {
#pragma warning disable CA5351 // Content-MD5 is what S3 verifies parts with.
                string md5 = Convert.ToBase64String(MD5.HashData(buffer.AsSpan(0, count)));
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
                            InputStream = new MemoryStream(buffer, 0, count, writable: false),
                            PartSize = count,
                            MD5Digest = md5,
                        };
                        if (owner._endpoint.Compatible)
                        {
                            request.UseChunkEncoding = false;
                        }

                        return await owner._client.UploadPartAsync(request, ct).ConfigureAwait(false);
                    },
                    $"{where} part {partNumber}",
                    failed.Token).ConfigureAwait(false);
                return new PartETag(partNumber, response.ETag);
            }
            catch
            {
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                Release(buffer);
            }
        }

        private void Release(byte[] buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            owner._partSlots.Release();
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
