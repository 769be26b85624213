using System.Runtime.ExceptionServices;
using System.Security.Cryptography;

namespace SyncTooling.Storage;

/// <summary>
/// The part pipeline of large uploads, shared by S3 multipart uploads and Azure staged blocks: a stream is read
/// part after part into pooled buffers and the parts are uploaded in parallel. A buffer is taken only with one of
/// the <c>partsInFlight</c> slots, which are shared by every upload of one storage, so memory for large uploads is
/// bounded by part size x parts in flight whatever the number of files. The buffers are the uploader's own, not the
/// shared array pool's: that pool keeps a returned array in the returning thread's own slot, where a rent on another
/// thread cannot see it, so parts finishing on many pool threads left an 8 MiB array with each (a 256 MiB upload
/// peaked at 137 MiB resident with 4 parts in flight). The part size is the configured one until
/// a file needs more parts than the store allows; then it grows with the file (<see cref="PartPlanner"/>).
/// </summary>
internal sealed class PartUploader : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly PartLimits _limits;
    private readonly BufferSet _buffers = new();

    public PartUploader(int partSize, int partsInFlight, PartLimits limits)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(partSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(partsInFlight);
        ArgumentNullException.ThrowIfNull(limits);
        PartSize = partSize;
        _limits = limits;
        _slots = new SemaphoreSlim(partsInFlight);
    }

    /// <summary>The configured part size: the size of every part but the last of files up to its part-count limit.</summary>
    public int PartSize { get; }

    /// <summary>The part size of a file of <paramref name="length"/> bytes, as <see cref="UploadAsync"/> cuts it (deterministic in the length).</summary>
    /// <exception cref="StorageException">Permanent: the file is larger than one object may be, or its parts larger than one buffer holds.</exception>
    public int PartSizeFor(long length)
    {
        long size = PartPlanner.PartSize(length, PartSize, _limits);
        return size <= Array.MaxLength
            ? (int)size
            : throw new StorageException(StorageErrorKind.Permanent, $"The file is {length} bytes, which needs parts of {size} bytes; parts are buffered in memory and one buffer holds at most {Array.MaxLength} bytes.");
    }

    /// <summary>
    /// Uploads <paramref name="content"/> (<paramref name="length"/> bytes, which sets the part size: see
    /// <see cref="PartSizeFor"/>) part by part with <paramref name="uploadPart"/> (part numbers from 1; the
    /// buffer is valid until the returned task ends) and returns the results in part order. An empty stream is one
    /// empty part. <paramref name="wholeHash"/>, when given, sees every byte in order. On the first failure the
    /// other parts are cancelled and awaited before the failure is rethrown, so no buffer outlives the call; the
    /// failure rethrown is the part's own, not the cancellation it caused in the read loop or the other parts.
    /// </summary>
    public async Task<T[]> UploadAsync<T>(
        Stream content,
        long length,
        Func<int, ArraySegment<byte>, CancellationToken, Task<T>> uploadPart,
        IncrementalHash? wholeHash = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(uploadPart);
        int partSize = PartSizeFor(length);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var uploads = new List<Task<T>>();
        try
        {
            for (int partNumber = 1; ; partNumber++)
            {
                await _slots.WaitAsync(failed.Token).ConfigureAwait(false);
                byte[] buffer = _buffers.Take(partSize);
                int count;
                try
                {
                    count = await content.ReadAtLeastAsync(buffer.AsMemory(0, partSize), partSize, throwOnEndOfStream: false, failed.Token).ConfigureAwait(false);
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
                if (count < partSize)
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
        _buffers.Give(buffer);
        _slots.Release();
    }

    /// <summary>
    /// The part buffers not in use. A buffer is taken only with a slot and given back before the slot is released,
    /// and a free buffer of the wrong size is dropped when a new one is made, so buffers in use plus free ones never
    /// exceed the slots: memory stays at part size x parts in flight, kept for the storage's next large file.
    /// </summary>
    private sealed class BufferSet
    {
        private readonly Stack<byte[]> _free = new();

        public byte[] Take(int size)
        {
            lock (_free)
            {
                if (_free.TryPop(out byte[]? buffer) && buffer.Length == size)
                {
                    return buffer;
                }
            }

            // The part size changed (a file beyond the part-count limit, or the last one): the free buffer, if any, is
            // dropped. Not zeroed: every byte sent is read from the file first.
            return GC.AllocateUninitializedArray<byte>(size);
        }

        public void Give(byte[] buffer)
        {
            lock (_free)
            {
                _free.Push(buffer);
            }
        }
    }
}
