using System.Text.RegularExpressions;
using Amazon.Runtime;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Storage.Memory;
using SyncTooling.Storage.S3;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>
/// A real S3 server for the tests: the stock s3rver 3.7.1 from npm (tests/s3rver, installed with `npm ci` on
/// first use), on 127.0.0.1 with a free port and its own data folder, stopped when the tests end.
/// </summary>
public sealed partial class S3Server : IAsyncLifetime
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";
    public const string Bucket = "synctooling-test";

    private readonly TempDirectory _data = new();
    private NodeServerProcess? _process;

    public int Port { get; private set; }

    public string Endpoint => $"127.0.0.1:{Port}";

    public S3StorageOptions Options => new() { Credentials = new BasicAWSCredentials(AccessKey, SecretKey), Environment = _ => null };

    /// <summary>Backends for the engine: S3 with the server's credentials, plus local files and memory.</summary>
    public StorageRegistry Registry => new StorageRegistry()
        .Register("file", uri => new FileStorage(uri))
        .Register("memory", uri => new MemoryStorage(uri))
        .Register("s3", uri => new S3Storage(uri, Options))
        .Register("gs", uri => new S3Storage(uri, Options));

    /// <summary>An s3:// location on this server.</summary>
    public string Location(string prefix, string bucket = Bucket) => $"s3://{bucket}/{prefix}?endpoint_override={Endpoint}&scheme=http";

    public async Task InitializeAsync()
    {
        // Node 20 + s3rver 3.7.1: without the legacy provider, paginated listings fail with 500.
        _process = await NodeServerProcess.StartAsync(
            "s3rver",
            "s3rver",
            Path.Combine("node_modules", "s3rver", "bin", "s3rver.js"),
            ["-d", _data.Path, "-a", "127.0.0.1", "-p", "0", "--configure-bucket", Bucket],
            ListeningLine(),
            TimeSpan.FromSeconds(60),
            new Dictionary<string, string> { ["NODE_OPTIONS"] = "--openssl-legacy-provider" });
        Port = _process.Port;
    }

    public Task DisposeAsync()
    {
        _process?.Dispose();
        _data.Dispose();
        return Task.CompletedTask;
    }

    [GeneratedRegex(@"listening on [0-9.]+:(\d+)")]
    private static partial Regex ListeningLine();
}

[CollectionDefinition("s3rver")]
public sealed class S3ServerCollection : ICollectionFixture<S3Server>;
