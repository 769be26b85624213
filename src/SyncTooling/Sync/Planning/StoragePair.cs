using SyncTooling.Storage;

namespace SyncTooling.Sync.Planning;

/// <summary>One key of a merge: the source's entry, the destination's, or both.</summary>
/// <remarks>
/// A class, not a struct: the pairs flow through framework generics (channels, lists, async enumerators), which a
/// ReadyToRun image can only precompile in their shared form over reference types. As a struct every one of those
/// instantiations was compiled by the JIT on each run (about 100 methods, a tenth of a local sync's start-up).
/// </remarks>
internal sealed record StoragePair(StorageEntry? Source, StorageEntry? Destination);
