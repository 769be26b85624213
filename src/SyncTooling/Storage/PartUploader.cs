using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;

namespace SyncTooling.Storage;

/// <summary>
/// The part pipeline of large uploads, shared by S3 multipart uploads and Azure staged blocks: a stream is read
/// part after part into pooled buffers and the parts are uploaded in parallel. A buffer is taken only with one of
/// the <c>partsInFlight</c> slots, which are shared by every upload of one storage, so memory for large uploads is
/// bounded by part size x parts in flight whatever the number of files.
/// </summary>
internal sealed class PartUploader : IDisposable
{
    private readonly SemaphoreSlim _slots;

    public PartUploader(int partSize, int partsInFlight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(partSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(partsInFlight);
        PartSize = partSize;
        _slots = new SemaphoreSlim(partsInFlight);
    }

    public int PartSize { get; }

    /// <summary>
    /// Uploads <paramref name="content"/> part by part with <paramref name="uploadPart"/> (part numbers from 1; the
    /// buffer is valid until the returned task ends) and returns the results in part order. An empty stream is one
    /// empty part. <paramref name="wholeHash"/>, when given, sees every byte in order. On the first failure the
    /// other parts are cancelled and awaited before the failure is rethrown, so no buffer outlives the call; the
    /// failure rethrown is the part's own, not the cancellation it caused in the read loop or the other parts.
    /// </summary>
    public async Task<T[]> UploadAsync<T>(
        Stream content,
        Func<int, ArraySegment<byte>, CancellationToken, Task<T>> uploadPart,
        IncrementalHash? wholeHash = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(uploadPart);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var uploads = new List<Task<T>>();
        try
        {
            for (int partNumber = 1; ; partNumber++)
            {
                await _slots.WaitAsync(failed.Token).ConfigureAwait(false);
                byte[] buffer = ArrayPool<byte>.Shared.Rent(PartSize);
                int count;
                try
                {
                    count = await content.ReadAtLeastAsync(buffer.AsMemory(0, PartSize), PartSize, throwOnEndOfStream: false, failed.Token).ConfigureAwait(false);
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

                wholeHash?.AppendData(buffer, 0, count);
                uploads.Add(UploadPartAsync(uploadPart, partNumber, buffer, count, failed));
                if (count < PartSize)
                {
                    break;
                }
            }

            return await Task.WhenAll(uploads).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await failed.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(uploads.Select(t => t.ContinueWith(static _ => { }, TaskScheduler.Default))).ConfigureAwait(false);

            // A part that failed cancelled the read loop and the other parts: report its failure, not the cancellation it caused.
            if (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested
                && uploads.FirstOrDefault(t => t.IsFaulted)?.Exception?.InnerException is { } partFailure)
            {
                ExceptionDispatchInfo.Throw(partFailure);
            }

            throw;
        }
    }

    public void Dispose() => _slots.Dispose();

    private async Task<T> UploadPartAsync<T>(Func<int, ArraySegment<byte>, CancellationToken, Task<T>> uploadPart, int partNumber, byte[] buffer, int count, CancellationTokenSource failed)
    {
        try
        {
            return await uploadPart(partNumber, new ArraySegment<byte>(buffer, 0, count), failed.Token).ConfigureAwait(false);
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
        _slots.Release();
    }
}
