using SyncTooling.Storage;

namespace SyncTooling.Sync.Planning;

/// <summary>One key of a merge: the source's entry, the destination's, or both.</summary>
internal readonly record struct StoragePair(StorageEntry? Source, StorageEntry? Destination);
