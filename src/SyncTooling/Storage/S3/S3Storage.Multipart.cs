using System.Security.Cryptography;
using Amazon.S3.Model;

namespace SyncTooling.Storage.S3;

public sealed partial class S3Storage
{
    /// <summary>
    /// One multipart upload: parts go through the storage's <see cref="PartUploader"/> (pooled buffers, uploaded in
    /// parallel, at most <see cref="S3StorageOptions.PartsInFlight"/> across the storage), each checked against its
    /// MD5, and the completed object's ETag against the parts (or the whole content's MD5).
    /// On failure or cancellation the upload is aborted (where the server supports it), so no object appears.
    /// </summary>
    private sealed class MultipartUpload(S3Storage owner, string fullKey, string where, UnixTime lastModified)
    {
        public async Task RunAsync(Stream content, long length, CancellationToken cancellationToken)
        {
            // Initiate must carry md5chksum, so its MD5 is one pass over the file before the first part (the upload's
            // largest serial cost: 0.65 s of a 256 MiB upload to RGW); disable_checksum skips it, as rclone's option does.
            string? md5Hex = content.CanSeek && !owner._endpoint.DisableChecksum ? await HashAndRewindAsync(content, cancellationToken).ConfigureAwait(false) : null;
            var endpoint = owner._endpoint;
            var initiate = new InitiateMultipartUploadRequest { BucketName = endpoint.Bucket, Key = fullKey, ContentType = ContentTypes.For(fullKey) };
            Prepare(initiate.Metadata, lastModified, md5Hex);
            var resume = await owner.StartOrResumeAsync(
                fullKey,
                where,
                length,
                lastModified,
                md5Hex,
                async () => (await owner.CallAsync(ct => owner._client.InitiateMultipartUploadAsync(initiate, ct), where, cancellationToken).ConfigureAwait(false)).UploadId,
                cancellationToken).ConfigureAwait(false);
            string uploadId = resume.UploadId;

#pragma warning disable CA5351 // Only to check a plain-MD5 ETag (s3rver) of a stream that could not be hashed up front.
            using var whole = md5Hex is null ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null;
#pragma warning restore CA5351
            CompleteMultipartUploadResponse completed;
            UploadedPart[] parts;
            string wholeMd5;
            try
            {
                // The uploader cancels and awaits the other parts on a failure, and reports a part's own failure rather than the cancellation it caused.
                parts = await owner._parts.UploadAsync(content, length, (partNumber, data, ct) => UploadPartAsync(resume, partNumber, data, ct), whole, cancellationToken).ConfigureAwait(false);
                wholeMd5 = md5Hex ?? Convert.ToHexStringLower(whole!.GetHashAndReset());
                var complete = new CompleteMultipartUploadRequest { BucketName = endpoint.Bucket, Key = fullKey, UploadId = uploadId, PartETags = [.. parts.Select(p => p.ETag)] };
                completed = await CompleteAsync(complete, parts, wholeMd5, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (resume.KeepsFor(ex))
            {
                // Interrupted, not refused: the parts sent stay on the server and in the record, for a rerun to continue.
                resume.Flush();
                throw;
            }
            catch
            {
                await AbortAsync(uploadId).ConfigureAwait(false);
                resume.Forget();
                throw;
            }

            resume.Forget();

            if (owner.CheckCompleted(completed.ETag, [.. parts.Select(p => p.Md5)], wholeMd5, completed.ServerSideEncryptionMethod, where) is { } mismatch)
            {
                await owner.RemoveUnverifiedAsync(fullKey).ConfigureAwait(false);
                throw mismatch;
            }
        }

        /// <summary>
        /// Completes the upload. When an earlier attempt's answer was lost after the server had completed it (a reset
        /// or a cut answer), the retry gets NoSuchUpload: the object is then accepted only if one HEAD shows an ETag
        /// that proves exactly these parts; otherwise the NoSuchUpload failure stands.
        /// </summary>
        private async Task<CompleteMultipartUploadResponse> CompleteAsync(CompleteMultipartUploadRequest complete, UploadedPart[] parts, string wholeMd5, CancellationToken cancellationToken)
        {
            try
            {
                return await owner.CallAsync(ct => owner._client.CompleteMultipartUploadAsync(complete, ct), where, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageException ex) when (ex.InnerException is Amazon.S3.AmazonS3Exception { ErrorCode: "NoSuchUpload" })
            {
                var head = await owner.CallAsync(ct => owner._client.GetObjectMetadataAsync(owner._endpoint.Bucket, fullKey, ct), where, cancellationToken).ConfigureAwait(false);
                if (!ProvesParts(head.ETag, [.. parts.Select(p => p.Md5)], wholeMd5, head.ServerSideEncryptionMethod))
                {
                    throw;
                }

                return new CompleteMultipartUploadResponse { ETag = head.ETag, ServerSideEncryptionMethod = head.ServerSideEncryptionMethod };
            }
        }

        private async Task<UploadedPart> UploadPartAsync(ResumableParts resume, int partNumber, ArraySegment<byte> data, CancellationToken cancellationToken)
        {
#pragma warning disable CA5351 // Content-MD5 is what S3 verifies parts with.
            byte[] digest = MD5.HashData(data);
#pragma warning restore CA5351
            if (resume.TryReuse(partNumber, data.Count, digest) is { } onServer)
            {
                return new UploadedPart(new PartETag(partNumber, onServer), digest);
            }

            string uploadId = resume.UploadId;
            string md5 = Convert.ToBase64String(digest);
            string part = $"{where} part {partNumber}";
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

                    var uploaded = await owner._client.UploadPartAsync(request, ct).ConfigureAwait(false);
                    return owner.CheckStored(uploaded.ETag, md5, uploaded.ServerSideEncryptionMethod, part) is { } mismatch ? throw mismatch : uploaded;
                },
                part,
                cancellationToken).ConfigureAwait(false);
            resume.Sent(partNumber, data.Count, digest);
            return new UploadedPart(new PartETag(partNumber, response.ETag), digest);
        }

        private async Task AbortAsync(string uploadId)
        {
            try
            {
                // Its own short bound: a server that stalls the abort must not hold up the failure being reported.
                using var timeout = new CancellationTokenSource(owner.CleanupTimeout);
                await owner._client.AbortMultipartUploadAsync(owner._endpoint.Bucket, fullKey, uploadId, timeout.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Best effort: some servers (s3rver) lack AbortMultipartUpload; the original error matters more.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        /// <summary>
        /// The whole file's MD5 for the md5chksum metadata, which InitiateMultipartUpload must carry before a part is
        /// read. Read in 1 MiB blocks: MD5.HashDataAsync's 4 KiB reads cost a system call and two stream layers each.
        /// </summary>
        private static async Task<string> HashAndRewindAsync(Stream content, CancellationToken cancellationToken)
        {
            long start = content.Position;
#pragma warning disable CA5351 // Stored for checksum-mode comparisons, like S3's own ETags.
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
            byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1024 * 1024);
            try
            {
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    md5.AppendData(buffer, 0, read);
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }

            content.Position = start;
            return Convert.ToHexStringLower(md5.GetHashAndReset());
        }
    }

    /// <summary>One uploaded part: what to send in CompleteMultipartUpload, and the MD5 of its bytes.</summary>
    private sealed record UploadedPart(PartETag ETag, byte[] Md5);
}
