namespace SyncTooling.Sync;

/// <summary>
/// Counts files and bytes across parallel transfers and reports to an <see cref="IProgress{T}"/>. The totals grow
/// while the listing goes on (<see cref="AddPlanned"/>): transfers start before the plan is complete.
/// </summary>
internal sealed class ProgressTracker(IProgress<SyncProgress>? progress)
{
    private const long ReportEveryBytes = 1024 * 1024;
    private int _filesTotal;
    private long _bytesTotal;
    private long _bytes;
    private long _lastReportedBytes;
    private int _files;
    private int _failed;

    public long Bytes => Interlocked.Read(ref _bytes);

    private int FilesTotal => Volatile.Read(ref _filesTotal);

    private long BytesTotal => Interlocked.Read(ref _bytesTotal);

    /// <summary>One more file of <paramref name="size"/> bytes is to be transferred.</summary>
    public void AddPlanned(long size)
    {
        Interlocked.Add(ref _bytesTotal, size);
        Interlocked.Increment(ref _filesTotal);
    }

    public void AddBytes(long count)
    {
        long now = Interlocked.Add(ref _bytes, count);
        long last = Interlocked.Read(ref _lastReportedBytes);
        if (progress is not null && now - last >= ReportEveryBytes && Interlocked.CompareExchange(ref _lastReportedBytes, now, last) == last)
        {
            progress.Report(new SyncProgress(Volatile.Read(ref _files), FilesTotal, now, BytesTotal, null) { FilesFailed = Volatile.Read(ref _failed) });
        }
    }

    /// <summary>A file was transferred.</summary>
    public void FileDone(string key)
    {
        int files = Interlocked.Increment(ref _files);
        progress?.Report(new SyncProgress(files, FilesTotal, Bytes, BytesTotal, key) { FilesFailed = Volatile.Read(ref _failed) });
    }

    /// <summary>A file failed after its retries: it counts as finished, never as transferred.</summary>
    public void FileFailed(string key, string error)
    {
        // The failure count goes up first, so a report never shows a failed file as transferred.
        int failed = Interlocked.Increment(ref _failed);
        int files = Interlocked.Increment(ref _files);
        progress?.Report(new SyncProgress(files, FilesTotal, Bytes, BytesTotal, key) { FilesFailed = failed, LastKeyError = error });
    }
}
