namespace SyncTooling.Storage.File;

/// <summary>An entry of a local tree that a listing skipped because it is not a regular file or folder.</summary>
/// <param name="Key">The relative key; a linked folder ends with '/'.</param>
/// <param name="Reason">What it is and why it was skipped, e.g. "a FIFO (named pipe); special files are never opened".</param>
public sealed record SkippedEntry(string Key, string Reason);
