using SyncTooling.Storage.Azure;
using SyncTooling.Storage.File;
using SyncTooling.Storage.Hdfs;
using SyncTooling.Storage.Memory;
using SyncTooling.Storage.S3;

namespace SyncTooling.Storage;

/// <summary>Creates storage backends by URI scheme.</summary>
public sealed class StorageRegistry
{
    private readonly Dictionary<string, Func<StorageUri, IStorage>> _factories = new(StringComparer.Ordinal);

    /// <summary>The registry with every built-in backend.</summary>
    public static StorageRegistry Default { get; } = CreateDefault();

    /// <summary>The schemes that have a backend.</summary>
    public IReadOnlyCollection<string> Schemes => _factories.Keys;

    /// <summary>Adds or replaces the backend for a scheme.</summary>
    public StorageRegistry Register(string scheme, Func<StorageUri, IStorage> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        ArgumentNullException.ThrowIfNull(factory);
        _factories[scheme] = factory;
        return this;
    }

    /// <summary>Opens the backend for a location.</summary>
    /// <exception cref="NotSupportedException">No backend is registered for the location's scheme.</exception>
    public IStorage Open(StorageUri location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (!_factories.TryGetValue(location.Scheme, out var factory))
        {
            throw new NotSupportedException(
                $"'{location}' uses {location.Scheme}://, which has no storage backend in this build. Available: {string.Join(", ", _factories.Keys.Order(StringComparer.Ordinal).Select(s => s + "://"))}.");
        }

        return factory(location);
    }

    /// <summary>Parses and opens a location.</summary>
    public IStorage Open(string location) => Open(StorageUri.Parse(location));

    private static StorageRegistry CreateDefault() => new StorageRegistry()
        .Register("file", uri => new FileStorage(uri))
        .Register("memory", uri => new MemoryStorage(uri))
        .Register("s3", uri => new S3Storage(uri))
        .Register("gs", uri => new S3Storage(uri))
        .Register("hdfs", uri => new HdfsStorage(uri))
        .Register("az", uri => new AzureBlobStorage(uri))
        .Register("abfs", uri => new AzureBlobStorage(uri))
        .Register("abfss", uri => new AzureBlobStorage(uri));
}
