using SyncTooling.Storage.Azure;
using SyncTooling.Storage.File;
using SyncTooling.Storage.Hdfs;
using SyncTooling.Storage.Memory;
using SyncTooling.Storage.S3;

namespace SyncTooling.Storage;

/// <summary>Creates storage backends by URI scheme.</summary>
public sealed class StorageRegistry
{
    private readonly Dictionary<string, Func<StorageUri, StorageSettings, IStorage>> _factories = new(StringComparer.Ordinal);

    /// <summary>The registry with every built-in backend.</summary>
    public static StorageRegistry Default { get; } = CreateDefault();

    /// <summary>The schemes that have a backend.</summary>
    public IReadOnlyCollection<string> Schemes => _factories.Keys;

    /// <summary>Adds or replaces the backend for a scheme.</summary>
    public StorageRegistry Register(string scheme, Func<StorageUri, IStorage> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return Register(scheme, (uri, _) => factory(uri));
    }

    /// <summary>Adds or replaces the backend for a scheme; the factory receives the settings of each open (e.g. the user's retries).</summary>
    public StorageRegistry Register(string scheme, Func<StorageUri, StorageSettings, IStorage> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        ArgumentNullException.ThrowIfNull(factory);
        _factories[scheme] = factory;
        return this;
    }

    /// <summary>Opens the backend for a location.</summary>
    /// <param name="location">The location.</param>
    /// <param name="settings">Settings for this open; <see cref="StorageSettings.Default"/> when null.</param>
    /// <exception cref="NotSupportedException">No backend is registered for the location's scheme.</exception>
    public IStorage Open(StorageUri location, StorageSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (!_factories.TryGetValue(location.Scheme, out var factory))
        {
            throw new NotSupportedException(
                $"'{location}' uses {location.Scheme}://, which has no storage backend in this build. Available: {string.Join(", ", _factories.Keys.Order(StringComparer.Ordinal).Select(s => s + "://"))}.");
        }

        return factory(location, settings ?? StorageSettings.Default);
    }

    /// <summary>Parses and opens a location.</summary>
    public IStorage Open(string location) => Open(StorageUri.Parse(location));

    private static StorageRegistry CreateDefault() => new StorageRegistry()
        .Register("file", uri => new FileStorage(uri))
        .Register("memory", uri => new MemoryStorage(uri))
        .Register("s3", (uri, settings) => new S3Storage(uri, S3OptionsFor(settings)))
        .Register("gs", (uri, settings) => new S3Storage(uri, S3OptionsFor(settings)))
        .Register("hdfs", uri => new HdfsStorage(uri))
        .Register("az", (uri, settings) => new AzureBlobStorage(uri, AzureOptionsFor(settings)))
        .Register("abfs", (uri, settings) => new AzureBlobStorage(uri, AzureOptionsFor(settings)))
        .Register("abfss", (uri, settings) => new AzureBlobStorage(uri, AzureOptionsFor(settings)));

    private static S3StorageOptions S3OptionsFor(StorageSettings settings)
    {
        var defaults = new S3StorageOptions();
        return defaults with { Retries = settings.Retries ?? defaults.Retries, StateDirectory = settings.StateDirectory, Logger = settings.Logger ?? defaults.Logger };
    }

    private static AzureBlobStorageOptions AzureOptionsFor(StorageSettings settings)
    {
        var defaults = new AzureBlobStorageOptions();
        return defaults with { Retries = settings.Retries ?? defaults.Retries, StateDirectory = settings.StateDirectory, Logger = settings.Logger ?? defaults.Logger };
    }
}
