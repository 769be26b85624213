using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Storage.S3;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;
using SyncTooling.Tests.Interop;

namespace SyncTooling.Tests.Storage.S3;

/// <summary>Object metadata in rclone's conventions, modification times kept both ways, and what a re-sync costs, against s3rver.</summary>
[Collection("s3rver")]
public sealed class S3MetadataTests(S3Server server) : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly AmazonS3Client _client = new(
        new BasicAWSCredentials(S3Server.AccessKey, S3Server.SecretKey),
        new AmazonS3Config { ServiceURL = "http://" + server.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    public void Dispose()
    {
        _client.Dispose();
        _temp.Dispose();
    }

    private SyncOptions Options => new() { StateDirectory = _temp.Combine("state") };

    [Fact]
    public async Task Upload_StoresTheMtimeToTheNanosecond_AndAMultipartMd5AsBase64_AsRcloneDoes()
    {
        _temp.Write("src/small.txt", "small");
        byte[] big = RandomNumberGenerator.GetBytes(9 * 1024 * 1024);
        await File.WriteAllBytesAsync(_temp.Combine("src", "big.bin"), big);
        FileTimes.Set(_temp.Combine("src", "small.txt"), "1700000000.123456789");
        FileTimes.Set(_temp.Combine("src", "big.bin"), "1600000000.5");
        string prefix = $"meta/{Guid.NewGuid():N}";

        await new SyncEngine(server.Registry).SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(server.Location(prefix)), Options);
        var small = await _client.GetObjectMetadataAsync(S3Server.Bucket, prefix + "/small.txt");
        var large = await _client.GetObjectMetadataAsync(S3Server.Bucket, prefix + "/big.bin");

        Assert.Equal("1700000000.123456789", small.Metadata["x-amz-meta-mtime"]);
        Assert.Null(small.Metadata["x-amz-meta-md5chksum"]);
        Assert.Equal("1600000000.5", large.Metadata["x-amz-meta-mtime"]);
        Assert.Equal(Convert.ToBase64String(MD5.HashData(big)), large.Metadata["x-amz-meta-md5chksum"]);
    }

    [Fact]
    public async Task DisableChecksum_LeavesMd5chksumOff_AMultipartUpload_AndKeepsEverythingElse()
    {
        byte[] big = RandomNumberGenerator.GetBytes(9 * 1024 * 1024);
        Directory.CreateDirectory(_temp.Combine("src"));
        await File.WriteAllBytesAsync(_temp.Combine("src", "big.bin"), big);
        FileTimes.Set(_temp.Combine("src", "big.bin"), "1600000000.5");
        string prefix = $"meta/{Guid.NewGuid():N}";
        var engine = new SyncEngine(server.Registry);

        await engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(server.Location(prefix) + "&disable_checksum=true"), Options);
        var large = await _client.GetObjectMetadataAsync(S3Server.Bucket, prefix + "/big.bin");
        await engine.SyncAsync(StorageUri.Parse(server.Location(prefix) + "&disable_checksum=true"), StorageUri.Parse(_temp.Combine("down")), Options);

        Assert.Null(large.Metadata["x-amz-meta-md5chksum"]);
        Assert.Equal("1600000000.5", large.Metadata["x-amz-meta-mtime"]);
        Assert.Equal(big, await File.ReadAllBytesAsync(_temp.Combine("down", "big.bin")));
    }

    [Fact]
    public async Task ContentType_ComesFromTheExtension_AndAnExtensionlessFileIsOctetStream()
    {
        foreach (string name in new[] { "notes.txt", "data.json", "photo.PNG", "README", ".hidden", "archive.tar.gz", "odd.unknownext" })
        {
            _temp.Write("src/" + name, "x");
        }

        await File.WriteAllBytesAsync(_temp.Combine("src", "model"), new byte[9 * 1024 * 1024]);
        string prefix = $"meta/{Guid.NewGuid():N}";

        await new SyncEngine(server.Registry).SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(server.Location(prefix)), Options);

        async Task<string> TypeOf(string name) => (await _client.GetObjectMetadataAsync(S3Server.Bucket, prefix + "/" + name)).Headers.ContentType;
        Assert.Equal("text/plain; charset=utf-8", await TypeOf("notes.txt"));
        Assert.Equal("application/json", await TypeOf("data.json"));
        Assert.Equal("image/png", await TypeOf("photo.PNG"));
        Assert.Equal("application/gzip", await TypeOf("archive.tar.gz"));
        Assert.Equal("application/octet-stream", await TypeOf("README"));
        Assert.Equal("application/octet-stream", await TypeOf(".hidden"));
        Assert.Equal("application/octet-stream", await TypeOf("odd.unknownext"));
        Assert.Equal("application/octet-stream", await TypeOf("model"));
    }

    [Fact]
    public async Task ObjectsWithOurOldHexMd5AndMillisecondMtime_AreReadBack_AndDownloadRestoresThatTime()
    {
        string prefix = $"meta/{Guid.NewGuid():N}";
        byte[] data = Encoding.UTF8.GetBytes("uploaded by SyncTooling 0.1");
        var put = new PutObjectRequest { BucketName = S3Server.Bucket, Key = prefix + "/old.txt", InputStream = new MemoryStream(data), UseChunkEncoding = false };
        put.Metadata.Add("mtime", "1600000000.123");
        put.Metadata.Add("md5chksum", Convert.ToHexStringLower(MD5.HashData(data)));
        await _client.PutObjectAsync(put);
        await using var storage = new S3Storage(StorageUri.Parse(server.Location(prefix)), server.Options);

        var metadata = await storage.ReadMetadataAsync("old.txt");
        await new SyncEngine(server.Registry).SyncAsync(StorageUri.Parse(server.Location(prefix)), StorageUri.Parse(_temp.Combine("down")), Options);

        Assert.Equal(new UnixTime(1_600_000_000_123_000_000), metadata.SourceModified);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(data)), metadata.Md5);
        Assert.Equal("1600000000.1230000000", FileTimes.Snapshot(_temp.Combine("down"))["old.txt"]);
    }

    [Fact]
    public async Task MalformedMetadata_CountsAsAbsent()
    {
        string prefix = $"meta/{Guid.NewGuid():N}";
        var put = new PutObjectRequest { BucketName = S3Server.Bucket, Key = prefix + "/odd.txt", ContentBody = "odd", UseChunkEncoding = false };
        put.Metadata.Add("mtime", "1e9");
        put.Metadata.Add("md5chksum", "not-a-digest");
        await _client.PutObjectAsync(put);
        await using var storage = new S3Storage(StorageUri.Parse(server.Location(prefix)), server.Options);

        var metadata = await storage.ReadMetadataAsync("odd.txt");

        Assert.Null(metadata.SourceModified);
        Assert.Null(metadata.Md5);
    }

    [Fact]
    public async Task RoundTrip_KeepsMtimes_ANoChangeResyncDownMakesListingRequestsOnly_AndAChangedObjectIsStillDownloaded()
    {
        _temp.Write("src/a.txt", "version 1");
        _temp.Write("src/deep/er/b.txt", "bbb");
        FileTimes.Set(_temp.Combine("src", "a.txt"), "1700000000.123456789");
        FileTimes.Set(_temp.Combine("src", "deep", "er", "b.txt"), "1500000000.000000007");
        string prefix = $"meta/{Guid.NewGuid():N}";
        await using var proxy = FaultProxy.PassThrough(server.Port);
        var engine = new SyncEngine(server.Registry);
        var remote = StorageUri.Parse(RcloneAndAwsCliTests.ProxiedLocation(proxy, prefix));
        var local = StorageUri.Parse(_temp.Combine("down"));
        await engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), remote, Options);

        var first = await engine.SyncAsync(remote, local, Options);
        var times = FileTimes.Snapshot(_temp.Combine("down"));
        proxy.ClearRequestLines();
        var again = await engine.SyncAsync(remote, local, Options);
        var againRequests = proxy.RequestLines;
        await _client.PutObjectAsync(new PutObjectRequest { BucketName = S3Server.Bucket, Key = prefix + "/a.txt", ContentBody = "version 2", UseChunkEncoding = false });
        var afterChange = await engine.SyncAsync(remote, local, Options);

        Assert.Equal(2, first.Transferred.Count);
        Assert.Equal(FileTimes.Snapshot(_temp.Combine("src")), times);
        Assert.Empty(again.Transferred);
        Assert.Equal(2, again.Plan.Unchanged.Count);
        Assert.NotEmpty(againRequests);
        Assert.All(againRequests, r => Assert.True(RcloneAndAwsCliTests.IsListing(r), r));
        Assert.Equal(["a.txt"], afterChange.Transferred);
        Assert.Equal("version 2", await File.ReadAllTextAsync(_temp.Combine("down", "a.txt")));
    }

    [Fact]
    public async Task WithoutAStateRecord_ResyncDownAsksOneHeadPerFile_DownloadsNothing_AndRecordsItForNextTime()
    {
        _temp.Write("src/a.txt", "aaa");
        _temp.Write("src/b/c.txt", "ccc");
        FileTimes.Set(_temp.Combine("src", "a.txt"), "1700000000.1");
        FileTimes.Set(_temp.Combine("src", "b", "c.txt"), "1700000000.2");
        string prefix = $"meta/{Guid.NewGuid():N}";
        await using var proxy = FaultProxy.PassThrough(server.Port);
        var engine = new SyncEngine(server.Registry);
        var remote = StorageUri.Parse(RcloneAndAwsCliTests.ProxiedLocation(proxy, prefix));
        var local = StorageUri.Parse(_temp.Combine("down"));
        await engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), remote, Options);
        await engine.SyncAsync(remote, local, Options);
        Directory.Delete(_temp.Combine("state"), recursive: true);

        proxy.ClearRequestLines();
        var withoutState = await engine.SyncAsync(remote, local, Options);
        var withoutStateRequests = proxy.RequestLines;
        proxy.ClearRequestLines();
        var recorded = await engine.SyncAsync(remote, local, Options);

        Assert.Empty(withoutState.Transferred);
        Assert.Equal(2, withoutStateRequests.Count(r => r.StartsWith("HEAD ", StringComparison.Ordinal)));
        Assert.DoesNotContain(withoutStateRequests, r => r.StartsWith("GET ", StringComparison.Ordinal) && !RcloneAndAwsCliTests.IsListing(r));
        Assert.Empty(recorded.Transferred);
        Assert.All(proxy.RequestLines, r => Assert.True(RcloneAndAwsCliTests.IsListing(r), r));
        Assert.Single(Directory.GetFiles(_temp.Combine("state")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Directory.GetFiles(_temp.Combine("state"))[0]));
        }
        Assert.DoesNotContain(prefix, await File.ReadAllTextAsync(Directory.GetFiles(_temp.Combine("state"))[0]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACorruptStateFile_CostsOneHeadPerFile_NotAWrongSkipOrAnError()
    {
        _temp.Write("src/a.txt", "aaa");
        FileTimes.Set(_temp.Combine("src", "a.txt"), "1700000000.1");
        string prefix = $"meta/{Guid.NewGuid():N}";
        await using var proxy = FaultProxy.PassThrough(server.Port);
        var engine = new SyncEngine(server.Registry);
        var remote = StorageUri.Parse(RcloneAndAwsCliTests.ProxiedLocation(proxy, prefix));
        var local = StorageUri.Parse(_temp.Combine("down"));
        await engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), remote, Options);
        await engine.SyncAsync(remote, local, Options);
        File.WriteAllText(Directory.GetFiles(_temp.Combine("state")).Single(), "{\"Records\": {\"a.txt\": 42");

        proxy.ClearRequestLines();
        var again = await engine.SyncAsync(remote, local, Options);

        Assert.Empty(again.Transferred);
        Assert.Empty(again.Failures);
        Assert.Single(proxy.RequestLines, r => r.StartsWith("HEAD ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStateFolderThatCannotBeWritten_IsAWarning_AndTheSyncSucceeds()
    {
        _temp.Write("src/a.txt", "aaa");
        _temp.Write("not-a-folder", "a file where the state folder should be");
        string prefix = $"meta/{Guid.NewGuid():N}";
        var logger = new ListLogger();
        var engine = new SyncEngine(server.Registry, logger);
        var options = new SyncOptions { StateDirectory = _temp.Combine("not-a-folder") };
        await engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(server.Location(prefix)), options);

        var down = await engine.SyncAsync(StorageUri.Parse(server.Location(prefix)), StorageUri.Parse(_temp.Combine("down")), options);

        Assert.Equal(["a.txt"], down.Transferred);
        Assert.Empty(down.Failures);
        Assert.Contains(logger.Lines, l => l.StartsWith("Warning: Could not save the sync state", StringComparison.Ordinal) && l.Contains("the next sync down will ask the object store again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ALocalFileChangedAfterTheDownload_IsNotSkippedByTheRecord()
    {
        _temp.Write("src/a.txt", "remote");
        FileTimes.Set(_temp.Combine("src", "a.txt"), "1700000000.1");
        string prefix = $"meta/{Guid.NewGuid():N}";
        var engine = new SyncEngine(server.Registry);
        var remote = StorageUri.Parse(server.Location(prefix));
        await engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), remote, Options);
        await engine.SyncAsync(remote, StorageUri.Parse(_temp.Combine("down")), Options);

        // Same size, a different time (older than the upload): the record no longer describes this file.
        File.WriteAllText(_temp.Combine("down", "a.txt"), "edited");
        FileTimes.Set(_temp.Combine("down", "a.txt"), "1700000050");
        var again = await engine.SyncAsync(remote, StorageUri.Parse(_temp.Combine("down")), Options);

        Assert.Equal(["a.txt"], again.Transferred);
        Assert.Equal("remote", await File.ReadAllTextAsync(_temp.Combine("down", "a.txt")));
    }

    [Fact]
    public async Task Checksum_ReadsTheStoredMd5OfAMultipartObjectWithOneHead_InsteadOfDownloadingIt_AndStillSeesARealChange()
    {
        byte[] big = RandomNumberGenerator.GetBytes(9 * 1024 * 1024);
        Directory.CreateDirectory(_temp.Combine("src"));
        await File.WriteAllBytesAsync(_temp.Combine("src", "model.bin"), big);
        string prefix = $"meta/{Guid.NewGuid():N}";
        await using var proxy = FaultProxy.PassThrough(server.Port);
        var logger = new ListLogger();
        var engine = new SyncEngine(AwsLikeRegistry(), logger);
        var remote = StorageUri.Parse(RcloneAndAwsCliTests.ProxiedLocation(proxy, prefix));
        var checksum = Options with { Checksum = true };
        await engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), remote, checksum);

        proxy.ClearRequestLines();
        var same = await engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), remote, checksum);
        var sameRequests = proxy.RequestLines;
        big[12345] ^= 0xFF;
        await File.WriteAllBytesAsync(_temp.Combine("src", "model.bin"), big);
        var changed = await engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), remote, checksum);

        Assert.Equal(["model.bin"], same.Plan.Unchanged.Select(e => e.Key));
        Assert.Single(sameRequests, r => r.StartsWith("HEAD ", StringComparison.Ordinal));
        Assert.All(sameRequests, r => Assert.True(r.StartsWith("HEAD ", StringComparison.Ordinal) || RcloneAndAwsCliTests.IsListing(r), r));
        Assert.Equal(["model.bin"], changed.Transferred);
        Assert.DoesNotContain(logger.Lines, l => l.Contains("no stored MD5", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Checksum_WithoutAStoredMd5_SaysItReadsTheWholeObject_AndDoesSo()
    {
        string prefix = $"meta/{Guid.NewGuid():N}";
        byte[] big = RandomNumberGenerator.GetBytes(9 * 1024 * 1024);
        Directory.CreateDirectory(_temp.Combine("src"));
        await File.WriteAllBytesAsync(_temp.Combine("src", "model.bin"), big);
        await _client.PutObjectAsync(new PutObjectRequest { BucketName = S3Server.Bucket, Key = prefix + "/model.bin", InputStream = new MemoryStream(big), UseChunkEncoding = false });
        await using var proxy = FaultProxy.PassThrough(server.Port);
        var logger = new ListLogger();
        var engine = new SyncEngine(AwsLikeRegistry(), logger);

        var result = await engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(RcloneAndAwsCliTests.ProxiedLocation(proxy, prefix)), Options with { Checksum = true });

        Assert.Equal(["model.bin"], result.Plan.Unchanged.Select(e => e.Key));
        Assert.Contains(logger.Lines, l => l.Contains("model.bin", StringComparison.Ordinal) && l.Contains("has no stored MD5 (md5chksum): reading the whole object to hash it", StringComparison.Ordinal));
        Assert.Contains(proxy.RequestLines, r => r.StartsWith("GET ", StringComparison.Ordinal) && r.Contains("/model.bin", StringComparison.Ordinal));
    }

    private StorageRegistry AwsLikeRegistry() => new StorageRegistry()
        .Register("file", uri => new FileStorage(uri))
        .Register("s3", uri => new AwsLikeMultipartETags(new S3Storage(uri, server.Options), S3StorageOptions.DefaultPartSize));
}
