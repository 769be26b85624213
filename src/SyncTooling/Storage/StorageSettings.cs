namespace SyncTooling.Storage;

/// <summary>
/// What a backend is opened with besides its location, set per sync by the engine (from <see cref="Sync.SyncOptions"/>).
/// A backend may ignore what it has no use for.
/// </summary>
public sealed record StorageSettings
{
    /// <summary>No settings: every backend uses its own defaults.</summary>
    public static StorageSettings Default { get; } = new();

    /// <summary>
    /// Retries of one request after a transient failure, for backends that retry per request (S3: each listing page,
    /// PUT, part, GET and delete batch); null keeps the backend's default. The engine does not retry again what the
    /// backend retried, so this number is the whole bound.
    /// </summary>
    public int? Retries { get; init; }

    /// <summary>The state folder of backends that record interrupted uploads to continue them (<see cref="Sync.SyncOptions.StateDirectory"/>); null keeps the default.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>Receives a backend's own messages (e.g. that an interrupted upload resumed, or cannot); null for none.</summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; init; }
}
