using System.Security.Cryptography;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace SyncTooling.Storage.Azure;

public sealed partial class AzureBlobStorage
{
    /// <summary>
    /// Stages the blocks of one large file through the storage's <see cref="PartUploader"/> (pooled buffers, in
    /// parallel, at most <see cref="AzureBlobStorageOptions.BlocksInFlight"/> across the storage), each with its
    /// transactional MD5, then commits them with one Put Block List that also sets the whole file's Content-MD5 and
    /// the mtime metadata. Until that commit readers see the old blob (or none); blocks of a failed or cancelled
    /// upload are never committed and the service drops them (after a week).
    /// </summary>
    private async Task UploadInBlocksAsync(BlockBlobClient blob, Stream content, long length, string where, UnixTime lastModified, CancellationToken cancellationToken)
    {
        var resume = await StartOrResumeBlocksAsync(blob, where, length, lastModified, cancellationToken).ConfigureAwait(false);
        string upload = resume.UploadId;
#pragma warning disable CA5351 // The blob's Content-MD5, which the listing returns for checksum mode.
        using var wholeMd5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
        try
        {
            string[] blockIds = await _blocks.UploadAsync(
                content,
                length,
                async (number, data, ct) =>
                {
                    // Block ids are base64 and all of one length within a blob.
                    string id = BlockId(upload, number);
                    byte[] md5 = Md5Of(data);
                    if (resume.TryReuse(number, data.Count, md5) is not null)
                    {
                        return id;
                    }

                    await CallAsync(
                        c => blob.StageBlockAsync(id, new MemoryStream(data.Array!, data.Offset, data.Count, writable: false), new BlockBlobStageBlockOptions { TransferValidation = TransactionalMd5(md5) }, c),
                        $"{where} block {number}",
                        ct).ConfigureAwait(false);
                    resume.Sent(number, data.Count, md5);
                    return id;
                },
                wholeMd5,
                cancellationToken).ConfigureAwait(false);

            var commit = new CommitBlockListOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentHash = wholeMd5.GetHashAndReset() },
                Metadata = MetadataFor(lastModified),
            };
            await CallAsync(ct => blob.CommitBlockListAsync(blockIds, commit, ct), where, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!resume.KeepsFor(ex))
        {
            // Not an interruption: the staged blocks will never be committed (the service drops them).
            resume.Forget();
            throw;
        }
        catch
        {
            // Interrupted: the staged blocks stay for a rerun, and so does the whole record of them.
            resume.Flush();
            throw;
        }

        resume.Forget();
    }
}
