namespace SyncTooling.Storage;

/// <summary>What a backend can do, as data, so callers never probe.</summary>
/// <param name="PreservesModificationTime">Writes keep the given modification time (local files, memory); object stores set the upload time.</param>
/// <param name="ModificationTimePrecision">The resolution of the times the backend lists.</param>
/// <param name="HasDirectories">The backend has real directories (so a missing root is "not found", and listing can skip excluded directories).</param>
/// <param name="MaxDeleteBatch">How many keys one delete request can take.</param>
public sealed record StorageCapabilities(
    bool PreservesModificationTime,
    TimeSpan ModificationTimePrecision,
    bool HasDirectories,
    int MaxDeleteBatch);
