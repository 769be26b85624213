using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using SyncTooling.Storage;
using SyncTooling.Storage.File;

namespace SyncTooling.Sync;

/// <summary>
/// Large downloads into a local folder (<see cref="IRangedReadStorage"/> sources): ranges of
/// <see cref="RangeSizeFor"/> the object's size are fetched in parallel, at most <see cref="RangesInFlight"/> across the whole sync, each with the listed ETag as
/// its condition (If-Match), and written at their offsets into one temp file through a 1 MiB buffer each, so memory
/// stays at <see cref="RangesInFlight"/> x 1 MiB whatever the size. The whole is checked before the temp file is
/// renamed into place: every range's length, the file's length and, where the object's MD5 is known, the MD5,
/// hashed in order from the temp file while later ranges still arrive. How much of each range is in the temp file is
/// recorded (<see cref="PartialDownloads"/>, after the file is flushed), so a retry, or a rerun after a kill, fetches
/// only the rest of each; an object whose ETag or size changed, a 412 answer or an MD5 mismatch starts over.
/// </summary>
internal sealed class RangedDownloader : IDisposable
{
    /// <summary>The smallest range: 8 MiB, as aws-cli's downloads; objects larger than one such range go in ranges.</summary>
    public const int RangeSize = 8 * 1024 * 1024;

    /// <summary>The largest range: beyond <see cref="RangesInFlight"/> x this, an object just has more ranges.</summary>
    public const int MaxRangeSize = 64 * 1024 * 1024;

    /// <summary>Ranges fetched at once across the sync.</summary>
    public const int RangesInFlight = 8;

    private const int CopyBufferSize = 1024 * 1024;
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _slots = new(RangesInFlight);
    private readonly IRangedReadStorage _source;
    private readonly FileStorage _destination;
    private readonly PartialDownloads _records;
    private readonly TimeProvider _time;

    private RangedDownloader(IRangedReadStorage source, FileStorage destination, PartialDownloads records, TimeProvider time)
    {
        _source = source;
        _destination = destination;
        _records = records;
        _time = time;
    }

    /// <summary>The downloader of one sync, or null when the source cannot read ranges or the destination is no local folder.</summary>
    public static RangedDownloader? For(IStorage source, IStorage destination, StorageUri sourceUri, StorageUri destinationUri, SyncOptions options, TimeProvider time) =>
        source is IRangedReadStorage ranged && destination is FileStorage local
            ? new RangedDownloader(ranged, local, PartialDownloads.Open(DownloadState.ResolveDirectory(options.StateDirectory), sourceUri, destinationUri), time)
            : null;

    /// <summary>True when <paramref name="entry"/> goes in ranges: large enough, and listed with an ETag to hold every range to.</summary>
    public bool Applies(StorageEntry entry) => !string.IsNullOrEmpty(entry.ETag) && entry.Size > RangeSize && entry.Size >= _source.RangedReadThreshold;

    /// <summary>
    /// Forgets the interrupted downloads that cannot continue (the object is gone, changed, or no longer to be
    /// downloaded) and removes their temp files; returns the temp files (keys) of the others, which the stale temp
    /// file rule must keep however old they are.
    /// </summary>
    public IReadOnlySet<string> Prune(IEnumerable<StorageEntry> toTransfer)
    {
        var planned = toTransfer.ToDictionary(e => e.Key, StringComparer.Ordinal);
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in _records.All())
        {
            if (planned.TryGetValue(record.Key, out var entry) && Continues(record, entry))
            {
                int slash = record.Key.LastIndexOf('/');
                keep.Add(record.Key[..(slash + 1)] + record.Temp);
                continue;
            }

            _destination.DeletePartial(record.Key, record.Temp);
            _records.Remove(record.Key);
        }

        return keep;
    }

    /// <summary>Downloads <paramref name="entry"/> into place; returns the modification time the file got.</summary>
    /// <exception cref="ObjectChangedException">The object changed since it was listed; the temp file was removed.</exception>
    /// <exception cref="StorageException">A range or the whole failed its checks (transient), or another failure; what arrived is kept for the next attempt unless it cannot be trusted.</exception>
    public async Task<UnixTime> DownloadAsync(StorageEntry entry, string where, ProgressTracker tracker, CancellationToken cancellationToken = default)
    {
        var record = _records.Find(entry.Key);
        if (record is not null && !Continues(record, entry))
        {
            // Another version of the object, or another range size: what the temp file holds cannot be continued.
            _destination.DeletePartial(entry.Key, record.Temp);
            _records.Remove(entry.Key);
            record = null;
        }

        using var file = _destination.OpenPartial(entry.Key, entry.Size, record?.Temp);
        int rangeSize = RangeSizeFor(entry.Size);
        int count = checked((int)((entry.Size + rangeSize - 1) / rangeSize));
        int[] written = file.Resumed && record!.Written.Length == count ? [.. record.Written] : new int[count];
        using var job = new Job(this, entry, file, written, where, tracker);
        return await job.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>
    /// The size of every range but the last of an object of <paramref name="size"/> bytes: the object split into
    /// twice <see cref="RangesInFlight"/> ranges, in whole MiB, at least <see cref="RangeSize"/> and at most
    /// <see cref="MaxRangeSize"/>. Up to 128 MiB nothing changes (8 MiB ranges); a larger object costs fewer requests
    /// (each a signed request and an answer to parse: a 1 GiB object takes 16 instead of 128) without more memory,
    /// which stays one copy buffer per range in flight. Twice the slots, so half the ranges are asked for after the
    /// first ones end, with If-Match the listed ETag: an object replaced mid-download fails there, not only at the MD5.
    /// The size depends on the object's size alone, so a rerun continues a record.
    /// </summary>
    internal static int RangeSizeFor(long size)
    {
        const long MiB = 1024 * 1024;
        long share = (size + (2 * RangesInFlight) - 1) / (2 * RangesInFlight);
        return (int)Math.Clamp((share + MiB - 1) / MiB * MiB, RangeSize, MaxRangeSize);
    }

    private static bool Continues(PartialDownloads.Record record, StorageEntry entry) =>
        record.ETag == entry.ETag && record.Size == entry.Size && record.RangeSize == RangeSizeFor(entry.Size);

    /// <summary>One object's download: its ranges, the in-order hash, the checkpoints.</summary>
    private sealed class Job(RangedDownloader owner, StorageEntry entry, FileStorage.PartialFile file, int[] written, string where, ProgressTracker tracker) : IDisposable
    {
        private readonly SemaphoreSlim _arrived = new(0);
        private readonly Lock _checkpointLock = new();
        private readonly int _rangeSize = RangeSizeFor(entry.Size);
        private long _lastCheckpoint = owner._time.GetTimestamp();

        public async Task<UnixTime> RunAsync(CancellationToken cancellationToken)
        {
            using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var tasks = new List<Task>();
            bool trusted = true;
            try
            {
                // A record that claims more than a range holds is not ours to trust.
                for (int i = 0; i < written.Length; i++)
                {
                    written[i] = Math.Clamp(written[i], 0, LengthOf(i));
                }

                Checkpoint(force: true);
                int first = Enumerable.Range(0, written.Length).FirstOrDefault(i => IsIncomplete(written[i], i), -1);

                // The first answer says which MD5 the whole must have (an S3 ETag of KMS is none) and carries the object's metadata.
                await owner._slots.WaitAsync(failed.Token).ConfigureAwait(false);
                Stream opened;
                try
                {
                    opened = await Open(Math.Max(first, 0), probe: first < 0, failed.Token).ConfigureAwait(false);
                }
                catch
                {
                    owner._slots.Release();
                    throw;
                }

                string? expectedMd5 = opened is IAnnouncedContent announced ? announced.ExpectedMd5(entry.Md5) : entry.Md5;
                var modified = opened is IObjectMetadataSource { Metadata.SourceModified: { } stored } ? stored : UnixTime.From(entry.LastModified);
                if (first < 0)
                {
                    await opened.DisposeAsync().ConfigureAwait(false);
                    owner._slots.Release();
                }
                else
                {
                    tasks.Add(FetchAsync(first, opened, failed));
                }

                var hashing = expectedMd5 is null ? null : HashInOrderAsync(failed.Token);
                if (hashing is not null)
                {
                    tasks.Add(hashing);
                }

                for (int i = first + 1; first >= 0 && i < written.Length; i++)
                {
                    if (IsIncomplete(written[i], i))
                    {
                        await owner._slots.WaitAsync(failed.Token).ConfigureAwait(false);
                        tasks.Add(FetchAsync(i, null, failed));
                    }
                }

                await Task.WhenAll(tasks).ConfigureAwait(false);
                if (hashing is not null && await hashing.ConfigureAwait(false) is var actual && actual != expectedMd5)
                {
                    trusted = false;
                    throw new StorageException(StorageErrorKind.Transient, $"{where}: MD5 mismatch: the ranges received have MD5 {actual}, expected {expectedMd5}; nothing was written, and the download starts over.");
                }

                long length = RandomAccess.GetLength(file.Handle);
                if (length != entry.Size)
                {
                    trusted = false;
                    throw new StorageException(StorageErrorKind.Transient, $"{where}: the temp file holds {length} bytes, the listing said {entry.Size}; nothing was written.");
                }

                file.Commit(modified.ToDateTimeOffset());
                owner._records.Remove(entry.Key);
                return modified;
            }
            catch (Exception ex)
            {
                await failed.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(tasks.Select(t => t.ContinueWith(static _ => { }, TaskScheduler.Default))).ConfigureAwait(false);
                // A range that failed cancelled the others: report its failure, not the cancellation it caused.
                var failure = ex is OperationCanceledException && !cancellationToken.IsCancellationRequested
                    && tasks.FirstOrDefault(t => t.IsFaulted)?.Exception?.InnerException is { } rangeFailure
                    ? rangeFailure
                    : ex;
                if (!trusted || failure is ObjectChangedException)
                {
                    file.Discard();
                    owner._records.Remove(entry.Key);
                }
                else
                {
                    TryCheckpoint();
                }

                if (!ReferenceEquals(failure, ex))
                {
                    ExceptionDispatchInfo.Throw(failure);
                }

                throw;
            }
        }

        public void Dispose() => _arrived.Dispose();

        private int LengthOf(int index) => (int)Math.Min(_rangeSize, entry.Size - ((long)index * _rangeSize));

        private bool IsIncomplete(int count, int index) => count < LengthOf(index);

        /// <summary>Opens what is missing of range <paramref name="index"/> (one byte of it for a <paramref name="probe"/>).</summary>
        private Task<Stream> Open(int index, bool probe, CancellationToken cancellationToken)
        {
            int have = probe ? 0 : Volatile.Read(ref written[index]);
            return owner._source.OpenRangeAsync(entry.Key, ((long)index * _rangeSize) + have, probe ? 1 : LengthOf(index) - have, entry.ETag!, cancellationToken);
        }

        private async Task FetchAsync(int index, Stream? opened, CancellationTokenSource failed)
        {
            try
            {
                long start = (long)index * _rangeSize;
                long end = start + LengthOf(index);
                long at = start + Volatile.Read(ref written[index]);
                var stream = opened ?? await Open(index, probe: false, failed.Token).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    if (stream is IAnnouncedContent announced && announced.AnnouncedLength != end - at)
                    {
                        throw new StorageException(StorageErrorKind.Transient, $"{where}: the server announced {announced.AnnouncedLength} bytes for the range at {at}, which has {end - at}; the rest of the range is fetched again.");
                    }

                    byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
                    try
                    {
                        while (true)
                        {
                            // Whole buffers per write (a network read returns a few KiB), and room for one byte more
                            // than the range holds, so a server that sends too much is caught.
                            int room = (int)Math.Min(buffer.Length, end - at + 1);
                            int read = await stream.ReadAtLeastAsync(buffer.AsMemory(0, room), room, throwOnEndOfStream: false, failed.Token).ConfigureAwait(false);
                            if (read == 0)
                            {
                                break;
                            }

                            if (at + read > end)
                            {
                                throw new StorageException(StorageErrorKind.Transient, $"{where}: received more than the {end - start} bytes of the range at {start}; the range is fetched again.");
                            }

                            await file.WriteAsync(buffer.AsMemory(0, read), at, failed.Token).ConfigureAwait(false);
                            at += read;
                            Volatile.Write(ref written[index], (int)(at - start));
                            tracker.AddBytes(read);
                        }
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }

                if (at != end)
                {
                    throw new StorageException(StorageErrorKind.Transient, $"{where}: the range at {start} ended after {at - start} of its {end - start} bytes; the rest is fetched again.");
                }

                _arrived.Release();
            }
            catch
            {
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                owner._slots.Release();
            }

            Checkpoint(force: false);
        }

        private async Task<string> HashInOrderAsync(CancellationToken cancellationToken)
        {
#pragma warning disable CA5351 // The MD5 the object store keeps (ETag, md5chksum); it detects damage, it protects nothing.
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
            byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
            try
            {
                for (int i = 0; i < written.Length; i++)
                {
                    while (IsIncomplete(Volatile.Read(ref written[i]), i))
                    {
                        await _arrived.WaitAsync(cancellationToken).ConfigureAwait(false);
                    }

                    long offset = (long)i * _rangeSize;
                    long end = offset + LengthOf(i);
                    while (offset < end)
                    {
                        int read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, end - offset)), offset, cancellationToken).ConfigureAwait(false);
                        if (read == 0)
                        {
                            throw new StorageException(StorageErrorKind.Transient, $"{where}: the temp file ended at {offset} bytes, the listing said {entry.Size}; nothing was written.");
                        }

                        md5.AppendData(buffer, 0, read);
                        offset += read;
                    }
                }

                return Convert.ToHexStringLower(md5.GetHashAndReset());
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        /// <summary>Records the ranges in the temp file, after flushing it (a record never claims bytes a crash could lose); at most once a second unless forced.</summary>
        private void Checkpoint(bool force)
        {
            lock (_checkpointLock)
            {
                if (!force && owner._time.GetElapsedTime(_lastCheckpoint) < CheckpointInterval)
                {
                    return;
                }

                _lastCheckpoint = owner._time.GetTimestamp();
                int[] snapshot = [.. written.Select((_, i) => Volatile.Read(ref written[i]))];
                file.FlushToDisk();
                owner._records.Save(new PartialDownloads.Record(entry.Key, entry.ETag!, entry.Size, _rangeSize, file.TempName, snapshot));
            }
        }

        private void TryCheckpoint()
        {
            try
            {
                Checkpoint(force: true);
            }
            catch (StorageException)
            {
                // The failure being reported matters more; the next run starts over at worst.
            }
        }
    }
}
