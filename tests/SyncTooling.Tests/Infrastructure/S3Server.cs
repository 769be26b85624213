using System.Diagnostics;
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
    private Process? _process;

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
        string folder = Path.Combine(RepositoryRoot.Path, "tests", "s3rver");
        string script = Path.Combine(folder, "node_modules", "s3rver", "bin", "s3rver.js");
        await NpmInstall.EnsureAsync(folder, script);

        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { script, "-d", _data.Path, "-a", "127.0.0.1", "-p", "0", "--configure-bucket", Bucket },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Node 20 + s3rver 3.7.1: without the legacy provider, paginated listings fail with 500.
        start.Environment["NODE_OPTIONS"] = "--openssl-legacy-provider";
        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new System.Text.StringBuilder();
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null && ListeningLine().Match(e.Data) is { Success: true } m)
            {
                listening.TrySetResult(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var exited = _process.WaitForExitAsync();
        if (await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(60))) != listening.Task)
        {
            throw new InvalidOperationException("s3rver did not start: " + stderr);
        }

        Port = await listening.Task;
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _data.Dispose();
        return Task.CompletedTask;
    }

    [GeneratedRegex(@"listening on [0-9.]+:(\d+)")]
    private static partial Regex ListeningLine();
}

[CollectionDefinition("s3rver")]
public sealed class S3ServerCollection : ICollectionFixture<S3Server>;
