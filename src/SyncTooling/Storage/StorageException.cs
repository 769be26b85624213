namespace SyncTooling.Storage;

/// <summary>What kind of storage failure happened; decides whether a retry can help.</summary>
public enum StorageErrorKind
{
    /// <summary>A failure that may go away on retry: a timeout, a reset connection, a 5xx or throttling answer.</summary>
    Transient,

    /// <summary>The root, the bucket or the key does not exist.</summary>
    NotFound,

    /// <summary>Credentials are missing or wrong, or access is denied.</summary>
    AccessDenied,

    /// <summary>A key that cannot be stored safely (escapes the root, has empty or dot segments, NUL, ...).</summary>
    InvalidKey,

    /// <summary>Any other permanent failure.</summary>
    Permanent,
}

/// <summary>A storage failure, classified once where it is raised.</summary>
public class StorageException : Exception
{
    /// <summary>Creates a storage exception.</summary>
    public StorageException(StorageErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>Creates a permanent storage exception.</summary>
    public StorageException()
        : this(StorageErrorKind.Permanent, "Storage operation failed.")
    {
    }

    /// <summary>Creates a permanent storage exception.</summary>
    public StorageException(string message)
        : this(StorageErrorKind.Permanent, message)
    {
    }

    /// <summary>Creates a permanent storage exception.</summary>
    public StorageException(string message, Exception innerException)
        : this(StorageErrorKind.Permanent, message, innerException)
    {
    }

    /// <summary>The kind of failure.</summary>
    public StorageErrorKind Kind { get; }

    /// <summary>True when retrying may help.</summary>
    public bool IsTransient => Kind == StorageErrorKind.Transient;

    /// <summary>
    /// With <see cref="StorageErrorKind.NotFound"/>: the bucket or container itself does not exist, not just a key or
    /// prefix in it. A sync from it fails as a missing source; a sync into it fails at once (its objects cannot be
    /// written one by one either), where a missing prefix is only an empty destination.
    /// </summary>
    public bool ContainerMissing { get; init; }
}
