using System.Security.Cryptography;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Storage.Hdfs;
using SyncTooling.Storage.Memory;
using SyncTooling.Storage.S3;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;
using SyncTooling.Tests.Sync;

namespace SyncTooling.Tests.Reliability;

/// <summary>
/// A local file that changes while it is read (it grows, it is truncated, its modification time moves) is never
/// committed under its key, neither as a mix of two versions nor as a prefix: the attempt fails "changed during
/// upload" and is retried against the file as it is then, so a file that stops changing goes through.
/// </summary>
public sealed class ChangingSourceTests : IDisposable
{
    private const int PartSize = 5 * 1024 * 1024;
    private readonly TempDirectory _temp = new();
    private readonly HostileS3Bucket _bucket = new();

    public enum Change
    {
        Grows,
        Truncated,
        Touched,
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// The change lands after the first read of the pass that uploads: a single PUT's only pass, or a multipart
    /// upload's second pass (the first hashes the file for its metadata), so the check must abort the upload.
    /// </summary>
    [Theory]
    [InlineData(Change.Grows, false)]
    [InlineData(Change.Truncated, false)]
    [InlineData(Change.Touched, false)]
    [InlineData(Change.Grows, true)]
    [InlineData(Change.Truncated, true)]
    [InlineData(Change.Touched, true)]
    public async Task AFileChangingOnEveryAttempt_IsNeverCommitted_AndFails(Change change, bool multipart)
    {
        string path = WriteSource(multipart ? PartSize + 1000 : 1024 * 1024);
        await using var server = HostileS3Server.Start(_bucket.HandleAsync);

        var result = await SyncUpAsync(server, path, change, multipart, changeOnAttempts: int.MaxValue);

        Assert.Contains($"'{path}' changed during upload (", Assert.Single(result.Failures).Message, StringComparison.Ordinal);
        Assert.Empty(_bucket.Objects);
        Assert.Equal(0, server.Count(r => r.IsPut || r.IsCompleteMultipart));
        Assert.Equal(multipart ? 3 : 0, server.Count(r => r.IsAbortMultipart));
    }

    [Theory]
    [InlineData(Change.Grows, false)]
    [InlineData(Change.Truncated, false)]
    [InlineData(Change.Touched, false)]
    [InlineData(Change.Grows, true)]
    [InlineData(Change.Truncated, true)]
    [InlineData(Change.Touched, true)]
    public async Task AFileThatStopsChanging_GoesThroughOnTheRetry_ByteExact(Change change, bool multipart)
    {
        string path = WriteSource(multipart ? PartSize + 1000 : 1024 * 1024);
        await using var server = HostileS3Server.Start(_bucket.HandleAsync);

        var result = await SyncUpAsync(server, path, change, multipart, changeOnAttempts: 1);

        Assert.Empty(result.Failures);
        Assert.Equal(await File.ReadAllBytesAsync(path), _bucket.Objects["run/a.bin"]);
        Assert.Equal(1, server.Count(r => r.IsPut || r.IsCompleteMultipart));
    }

    /// <summary>The local-to-local fast path: the file changes after the listing, before it is copied.</summary>
    [Theory]
    [InlineData(Change.Grows)]
    [InlineData(Change.Truncated)]
    [InlineData(Change.Touched)]
    public async Task ALocalCopyOfAFileThatChanged_IsNeverCommitted_AndTheRetryGoesThrough(Change change)
    {
        string path = WriteSource(256 * 1024);
        _temp.Write("src/0-first.txt", "copied before a.bin");
        string target = _temp.Combine("target");
        var changeAfterFirst = new SynchronousProgress<SyncProgress>(p =>
        {
            if (p.LastKey == "0-first.txt")
            {
                Apply(change, path, 1);
            }
        });

        var failed = await new SyncEngine().SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(target), new SyncOptions { Jobs = 1, Retries = 0 }, changeAfterFirst);
        string[] afterFailure = [.. Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).Select(Path.GetFileName)!];
        var retried = await new SyncEngine().SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(_temp.Combine("retried")), new SyncOptions { Jobs = 1, Retries = 1 }, changeAfterFirst);

        Assert.Contains($"'{path}' changed during upload (", Assert.Single(failed.Failures).Message, StringComparison.Ordinal);
        Assert.Equal(["0-first.txt"], afterFailure);
        Assert.Empty(retried.Failures);
        Assert.Equal(TempDirectory.Snapshot(_temp.Combine("src")), TempDirectory.Snapshot(_temp.Combine("retried")));
    }

    [Fact]
    public async Task AFileGrowingIntoMemory_IsNeverCommitted()
    {
        string path = WriteSource(1024 * 1024);
        string remote = $"memory://changing/{Guid.NewGuid():N}";
        var registry = new StorageRegistry()
            .Register("file", uri => new FileStorage(uri))
            .Register("memory", uri => new TamperingStorage(new MemoryStorage(uri), ChangeOnce(1, path, Change.Grows, int.MaxValue)));

        var result = await new SyncEngine(registry).SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote), new SyncOptions { Retries = 1 });

        Assert.Contains("changed during upload", Assert.Single(result.Failures).Message, StringComparison.Ordinal);
        Assert.Empty(await new SyncEngine().ListAsync(StorageUri.Parse(remote)));
    }

    [Fact]
    public async Task AFileGrowingIntoHdfs_IsNeverCommitted()
    {
        string path = WriteSource(1024 * 1024);
        await using var hdfs = await WebHdfsServer.StartAsync();
        string name = Guid.NewGuid().ToString("N");
        var registry = new StorageRegistry()
            .Register("file", uri => new FileStorage(uri))
            .Register("hdfs", uri => new TamperingStorage(new HdfsStorage(uri), ChangeOnce(1, path, Change.Grows, int.MaxValue)));

        var result = await new SyncEngine(registry).SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse($"hdfs://{hdfs.Namenode}/sync/{name}"), new SyncOptions { Retries = 1 });

        // Not the temp file: the test datanode may finish writing it after the client gave up and deleted it (a leftover listings skip).
        Assert.Contains("changed during upload", Assert.Single(result.Failures).Message, StringComparison.Ordinal);
        string folder = Path.Combine(hdfs.RootFolder, "sync", name);
        Assert.Empty(Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith(FileStorage.TempPrefix, StringComparison.Ordinal)) : []);
    }

    /// <summary>Changes the file once per attempt (up to <paramref name="changeOnAttempts"/>), right after the first read of the pass.</summary>
    private static Action<TamperPoint> ChangeOnce(int pass, string path, Change change, int changeOnAttempts)
    {
        var changed = new HashSet<int>();
        return point =>
        {
            if (point.Pass == pass && point.Attempt <= changeOnAttempts && point.Position > 0 && changed.Add(point.Attempt))
            {
                Apply(change, path, point.Attempt);
            }
        };
    }

    private static void Apply(Change change, string path, int attempt)
    {
        switch (change)
        {
            case Change.Grows:
                File.AppendAllText(path, "appended while it was read");
                break;
            case Change.Truncated:
                using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
                {
                    file.SetLength(file.Length - 300);
                }

                break;
            default:
                File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(-10 * attempt));
                break;
        }
    }

    private string WriteSource(int size)
    {
        Directory.CreateDirectory(_temp.Combine("src"));
        string path = _temp.Combine("src", "a.bin");
        File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(size));
        return path;
    }

    private Task<SyncResult> SyncUpAsync(HostileS3Server server, string path, Change change, bool multipart, int changeOnAttempts)
    {
        var options = server.Options with { Retries = 0, PartSize = PartSize, MultipartThreshold = PartSize };
        var tamper = ChangeOnce(multipart ? 2 : 1, path, change, changeOnAttempts);
        var registry = new StorageRegistry()
            .Register("file", uri => new FileStorage(uri))
            .Register("s3", uri => new TamperingStorage(new S3Storage(uri, options), tamper));
        return new SyncEngine(registry).SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(server.Location("run")), new SyncOptions { Retries = 2 });
    }
}
