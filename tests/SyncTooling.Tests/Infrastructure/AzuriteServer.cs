using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using SyncTooling.Storage;
using SyncTooling.Storage.Azure;
using SyncTooling.Storage.File;
using SyncTooling.Storage.Memory;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>
/// A real Azure Blob Storage emulator for the tests: the stock Azurite 3.37.0 from npm (tests/azurite, installed with
/// `npm ci` on first use), on 127.0.0.1 with a free port and its own data folder, stopped (by its own PID) when the
/// tests end.
/// </summary>
public sealed partial class AzuriteServer : IAsyncLifetime
{
    public const string Account = "devstoreaccount1";

    /// <summary>Azurite's published well-known development key (not a secret).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public const string Container = "synctooling-test";

    private readonly TempDirectory _data = new();
    private NodeServerProcess? _process;

    public int Port { get; private set; }

    /// <summary>The blob service URL, account in the path as emulators have it.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}/{Account}";

    public string ConnectionString => $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={AccountKey};BlobEndpoint={Endpoint};";

    /// <summary>Options whose environment holds only Azurite's connection string, as a user would set it.</summary>
    public AzureBlobStorageOptions Options => WithEnvironment(new() { ["AZURE_STORAGE_CONNECTION_STRING"] = ConnectionString });

    /// <summary>Backends for the engine: Azure on this server, plus local files and memory.</summary>
    public StorageRegistry Registry => RegistryWith(Options);

    public static AzureBlobStorageOptions WithEnvironment(Dictionary<string, string> environment) => new() { Environment = name => environment.GetValueOrDefault(name) };

    public static StorageRegistry RegistryWith(AzureBlobStorageOptions options) => new StorageRegistry()
        .Register("file", uri => new FileStorage(uri))
        .Register("memory", uri => new MemoryStorage(uri))
        .Register("az", uri => new AzureBlobStorage(uri, options))
        .Register("abfs", uri => new AzureBlobStorage(uri, options))
        .Register("abfss", uri => new AzureBlobStorage(uri, options));

    /// <summary>An az:// location on this server (the endpoint option is what key- and SAS-based credentials need).</summary>
    public string Location(string prefix, string container = Container) => $"az://{container}/{prefix}?endpoint={Endpoint}";

    /// <summary>A client of the test container, to inspect blobs behind the backend's back.</summary>
    public BlobContainerClient ContainerClient => new(ConnectionString, Container);

    public async Task InitializeAsync()
    {
        // --skipApiVersionCheck: the SDK may speak a newer API version than this Azurite knows.
        _process = await NodeServerProcess.StartAsync(
            "Azurite",
            "azurite",
            Path.Combine("node_modules", "azurite", "dist", "src", "blob", "main.js"),
            ["--blobHost", "127.0.0.1", "--blobPort", "0", "--location", _data.Path, "--silent", "--skipApiVersionCheck", "--loose"],
            ListeningLine(),
            TimeSpan.FromSeconds(90));
        Port = _process.Port;
        await ContainerClient.CreateIfNotExistsAsync();
    }

    public Task DisposeAsync()
    {
        _process?.Dispose();
        _data.Dispose();
        return Task.CompletedTask;
    }

    [GeneratedRegex(@"successfully listens on http://[0-9.]+:(\d+)")]
    private static partial Regex ListeningLine();
}

[CollectionDefinition("azurite")]
public sealed class AzuriteServerCollection : ICollectionFixture<AzuriteServer>;
