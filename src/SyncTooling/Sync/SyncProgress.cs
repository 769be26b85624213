namespace SyncTooling.Sync;

/// <summary>Progress of a running sync.</summary>
/// <param name="FilesDone">Files finished so far: transferred or failed (<see cref="FilesFailed"/> counts the failed ones).</param>
/// <param name="FilesTotal">Files to transfer, as far as the listings have gone (transfers start while they go on).</param>
/// <param name="BytesDone">Bytes transferred so far.</param>
/// <param name="BytesTotal">Bytes to transfer, as far as the listings have gone.</param>
/// <param name="LastKey">The key that finished last, if any.</param>
public readonly record struct SyncProgress(int FilesDone, int FilesTotal, long BytesDone, long BytesTotal, string? LastKey)
{
    /// <summary>Of <see cref="FilesDone"/>, the files that failed; <c>FilesDone - FilesFailed</c> were transferred.</summary>
    public int FilesFailed { get; init; }

    /// <summary>Why <see cref="LastKey"/> failed, or <see langword="null"/> when it was transferred (or no key finished).</summary>
    public string? LastKeyError { get; init; }
}
