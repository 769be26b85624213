namespace SyncTooling.Sync;

/// <summary>Progress of a running sync.</summary>
/// <param name="FilesDone">Files transferred or failed so far.</param>
/// <param name="FilesTotal">Files to transfer.</param>
/// <param name="BytesDone">Bytes transferred so far.</param>
/// <param name="BytesTotal">Bytes to transfer.</param>
/// <param name="LastKey">The key that completed last, if any.</param>
public readonly record struct SyncProgress(int FilesDone, int FilesTotal, long BytesDone, long BytesTotal, string? LastKey);
