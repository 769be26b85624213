namespace SyncTooling.Storage;

/// <summary>
/// A backend that reads one byte range of an object, and only of the version its listing saw (an ETag): large
/// downloads into a local folder then fetch ranges in parallel, write them at their offsets into one temp file,
/// and a rerun after an interruption fetches only the ranges that are missing.
/// </summary>
internal interface IRangedReadStorage
{
    /// <summary>Objects of at least this many bytes (listed with an ETag) are downloaded in ranges.</summary>
    long RangedReadThreshold { get; }

    /// <summary>
    /// Opens bytes <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="length"/> - 1 of
    /// <paramref name="key"/>. The stream is <see cref="IAnnouncedContent"/> (its length is the range's; its MD5
    /// the whole object's, where known) and <see cref="IObjectMetadataSource"/>.
    /// </summary>
    /// <exception cref="ObjectChangedException">The object's ETag is no longer <paramref name="etag"/> (HTTP 412).</exception>
    /// <exception cref="StorageException">Any other failure, classified as <see cref="IStorage.OpenReadAsync"/>'s.</exception>
    Task<Stream> OpenRangeAsync(string key, long offset, long length, string etag, CancellationToken cancellationToken = default);
}

/// <summary>The object is no longer the version a ranged read asked for: what was fetched of it belongs to another version.</summary>
internal sealed class ObjectChangedException(string message, Exception? innerException = null)
    : StorageException(StorageErrorKind.Permanent, message, innerException);
