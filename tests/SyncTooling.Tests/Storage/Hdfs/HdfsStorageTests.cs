using SyncTooling.Storage;
using SyncTooling.Storage.Hdfs;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Storage.Hdfs;

/// <summary>The storage conformance suite against a WebHDFS-protocol server (namenode redirect, separate datanode).</summary>
public sealed class HdfsStorageTests : StorageConformanceTests, IAsyncLifetime
{
    private WebHdfsServer _server = null!;

    public async Task InitializeAsync() => _server = await WebHdfsServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected override IStorage CreateStorage()
    {
        string name = Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(Path.Combine(_server.RootFolder, "conformance", name));
        return Open($"conformance/{name}");
    }

    protected override IStorage CreateStorageWithMissingRoot() => Open($"missing/{Guid.NewGuid():N}");

    private HdfsStorage Open(string path, string query = "?user=alice") => new(StorageUri.Parse($"hdfs://{_server.Namenode}/{path}{query}"));

    [Fact]
    public async Task Write_SendsDataOnlyToTheDatanode_AsTheUser()
    {
        await using var storage = CreateStorage();

        await WriteTextAsync(storage, "a.txt", "twelve bytes", DateTimeOffset.UtcNow);

        var puts = _server.Requests.Where(r => r.Contains(" PUT CREATE ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, puts.Count);
        Assert.StartsWith("namenode PUT CREATE ", puts[0], StringComparison.Ordinal);
        Assert.EndsWith(" alice 0", puts[0], StringComparison.Ordinal);
        Assert.StartsWith("datanode PUT CREATE ", puts[1], StringComparison.Ordinal);
        Assert.Contains("/.synctmp-", puts[1], StringComparison.Ordinal);
        Assert.Contains(_server.Requests, r => r.StartsWith("namenode PUT RENAME ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListingAnswers_AreUsedAsTheSyncEngineExpects()
    {
        await using var storage = CreateStorage();
        _server.Requests.Clear();
        var modified = new DateTimeOffset(2025, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);

        await WriteTextAsync(storage, "keep/a.txt", "a", modified);
        await WriteTextAsync(storage, "skip/b.txt", "b", modified);
        var keys = new List<string>();
        await foreach (var e in storage.ListAsync(d => d != "skip/"))
        {
            keys.Add(e.Key + " " + e.LastModified.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(["keep/a.txt 2025-03-04T05:06:07.8900000+00:00"], keys);
        Assert.DoesNotContain(_server.Requests, r => r.Contains("LISTSTATUS /conformance/", StringComparison.Ordinal) && r.Contains("/skip ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AccessControlException_IsAccessDenied_WithTheServersMessage()
    {
        await using var storage = CreateStorage();
        _server.DeniedPath = "/" + storage.Location.Path;

        var ex = await Assert.ThrowsAsync<StorageException>(() => WriteTextAsync(storage, "x.txt", "x", DateTimeOffset.UtcNow));

        Assert.Equal(StorageErrorKind.AccessDenied, ex.Kind);
        Assert.Contains("403 AccessControlException: Permission denied: user=alice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerError_IsTransient()
    {
        await using var storage = CreateStorage();
        _server.FailingPath = "/" + storage.Location.Path;

        var ex = await Assert.ThrowsAsync<StorageException>(() => ListAsync(storage));

        Assert.Equal(StorageErrorKind.Transient, ex.Kind);
        Assert.Contains("500 NullPointerException", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParentThatIsAFile_IsPermanent_NotAccessDenied()
    {
        await using var storage = CreateStorage();
        await WriteTextAsync(storage, "blocker", "a file", DateTimeOffset.UtcNow);

        var ex = await Assert.ThrowsAsync<StorageException>(() => WriteTextAsync(storage, "blocker/x.txt", "x", DateTimeOffset.UtcNow));

        Assert.Equal(StorageErrorKind.Permanent, ex.Kind);
        Assert.Contains("403 IOException: Parent path is not a directory", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoServer_IsTransient()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var storage = new HdfsStorage(StorageUri.Parse($"hdfs://127.0.0.1:{port}/data"));

        var ex = await Assert.ThrowsAsync<StorageException>(() => ListAsync(storage));

        Assert.Equal(StorageErrorKind.Transient, ex.Kind);
        Assert.Equal($"Network error on 'hdfs://127.0.0.1:{port}/data': connection refused at 127.0.0.1:{port}: nothing listens there; check the endpoint and that the server is running.", ex.Message);
    }

    [Fact]
    public async Task Registry_OpensHdfsLocations_AndSyncRoundTrips()
    {
        string name = Guid.NewGuid().ToString("N");
        using var temp = new TempDirectory();
        temp.Write("src/a.txt", "a");
        temp.Write("src/sub dir/b.txt", "b");
        string remote = $"hdfs://{_server.Namenode}/sync/{name}";

        var first = await new SyncTooling.Sync.SyncEngine().SyncAsync(StorageUri.Parse(temp.Combine("src")), StorageUri.Parse(remote), new SyncTooling.Sync.SyncOptions());
        var second = await new SyncTooling.Sync.SyncEngine().SyncAsync(StorageUri.Parse(temp.Combine("src")), StorageUri.Parse(remote), new SyncTooling.Sync.SyncOptions());

        Assert.Equal(2, first.Transferred.Count);
        Assert.Empty(second.Transferred);
        Assert.Equal(TempDirectory.Snapshot(temp.Combine("src")), TempDirectory.Snapshot(Path.Combine(_server.RootFolder, "sync", name)));
    }
}
