namespace SyncTooling.Storage;

/// <summary>
/// An optional capability of backends that keep metadata with each object (S3): the engine reads a source's
/// modification time and whole-file MD5 from it, and writes the modification time to the nanosecond.
/// Same error contract as <see cref="IStorage"/>.
/// </summary>
public interface IObjectMetadataStorage
{
    /// <summary>Reads an object's metadata with one request (a HEAD), without its bytes. Throws <see cref="StorageErrorKind.NotFound"/> when the key does not exist.</summary>
    Task<ObjectMetadata> ReadMetadataAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="IStorage.WriteAsync"/>, storing <paramref name="sourceModified"/> to the nanosecond.</summary>
    Task WriteAsync(string key, Stream content, long length, UnixTime sourceModified, CancellationToken cancellationToken = default);
}
