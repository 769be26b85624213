namespace SyncTooling.Storage;

/// <summary>
/// One storage location (a directory, a bucket prefix, ...) seen as a flat set of files addressed by
/// relative keys with '/' separators. Implementations are safe for concurrent use.
/// </summary>
/// <remarks>
/// Error contract: every method throws <see cref="StorageException"/> for storage failures, with
/// <see cref="StorageException.Kind"/> telling transient from permanent failures, and
/// <see cref="OperationCanceledException"/> when cancelled. A key that escapes the root (<c>..</c>,
/// absolute, backslash, NUL, empty segment) is refused with <see cref="StorageErrorKind.InvalidKey"/>.
/// </remarks>
public interface IStorage : IAsyncDisposable
{
    /// <summary>The root location.</summary>
    StorageUri Location { get; }

    /// <summary>What this backend can do.</summary>
    StorageCapabilities Capabilities { get; }

    /// <summary>
    /// Lists every file below the root, recursively, in any order. A listing in <see cref="KeyOrder"/> (local folders,
    /// memory, AWS S3) lets a sync merge it as it streams; one out of order makes the sync sort it (spilling to disk).
    /// Throws <see cref="StorageException"/> with <see cref="StorageErrorKind.NotFound"/> when the root does
    /// not exist (a local directory that is missing; object stores: a bucket that is missing). An object store
    /// prefix with no objects lists as empty.
    /// </summary>
    /// <param name="shouldDescend">
    /// Optional filter for directories, given the relative directory path with a trailing '/'. Backends with
    /// real directories skip a rejected directory without reading it; others may ignore the filter.
    /// </param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    IAsyncEnumerable<StorageEntry> ListAsync(Func<string, bool>? shouldDescend = null, CancellationToken cancellationToken = default);

    /// <summary>Opens a file for reading. Throws <see cref="StorageErrorKind.NotFound"/> when the key does not exist.</summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a whole file atomically: readers see the old content or the new content, never a part.
    /// A failed or cancelled write leaves the old content (or nothing) at the key.
    /// </summary>
    /// <param name="key">The relative key.</param>
    /// <param name="content">The content, read to its end.</param>
    /// <param name="length">The content length in bytes.</param>
    /// <param name="lastModified">The modification time to keep, where <see cref="StorageCapabilities.PreservesModificationTime"/>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task WriteAsync(string key, Stream content, long length, DateTimeOffset lastModified, CancellationToken cancellationToken = default);

    /// <summary>Deletes files; keys that do not exist are ignored.</summary>
    Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default);

    /// <summary>Deletes everything below the root; a root that does not exist is not an error.</summary>
    Task DeleteAllAsync(CancellationToken cancellationToken = default);
}
