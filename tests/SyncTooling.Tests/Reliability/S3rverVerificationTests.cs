using System.Security.Cryptography;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Storage.S3;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Reliability;

/// <summary>The checks of every transfer against the real s3rver: what it answers passes them, and a changing file never lands.</summary>
[Collection("s3rver")]
public sealed class S3rverVerificationTests(S3Server server) : IDisposable
{
    private const int PartSize = 5 * 1024 * 1024;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// s3rver answers a multipart upload with the plain MD5 of the whole object; from a source that cannot be
    /// rewound (another S3 prefix) that MD5 is computed while the parts are read.
    /// </summary>
    [Fact]
    public async Task ACopyBetweenPrefixes_InParts_PassesTheWholeContentMd5Check_ByteExact()
    {
        byte[] data = RandomNumberGenerator.GetBytes((2 * PartSize) + 1000);
        Directory.CreateDirectory(_temp.Combine("src"));
        await File.WriteAllBytesAsync(_temp.Combine("src", "model.bin"), data);
        var engine = new SyncEngine(Registry(_ => { }));
        string first = server.Location($"verify/{Guid.NewGuid():N}");
        string second = server.Location($"verify/{Guid.NewGuid():N}");

        var up = await engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(first));
        var copy = await engine.SyncAsync(StorageUri.Parse(first), StorageUri.Parse(second));
        var down = await engine.SyncAsync(StorageUri.Parse(second), StorageUri.Parse(_temp.Combine("down")));

        Assert.Empty(up.Failures.Concat(copy.Failures).Concat(down.Failures));
        Assert.Equal(data, await File.ReadAllBytesAsync(_temp.Combine("down", "model.bin")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AFileGrowingOnEveryAttempt_NeverBecomesAnObject(bool multipart)
    {
        string path = _temp.Combine("src", "a.bin");
        Directory.CreateDirectory(_temp.Combine("src"));
        await File.WriteAllBytesAsync(path, RandomNumberGenerator.GetBytes(multipart ? PartSize + 1000 : 1024 * 1024));
        var grown = new HashSet<int>();
        var engine = new SyncEngine(Registry(p =>
        {
            if (p.Pass == (multipart ? 2 : 1) && p.Position > 0 && grown.Add(p.Attempt))
            {
                File.AppendAllText(path, "appended while it was read");
            }
        }));
        string remote = server.Location($"verify/{Guid.NewGuid():N}");

        var result = await engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote), new SyncOptions { Retries = 1 });

        Assert.Contains("changed during upload", Assert.Single(result.Failures).Message, StringComparison.Ordinal);
        Assert.Equal(2, grown.Count);
        Assert.Empty(await new SyncEngine(server.Registry).ListAsync(StorageUri.Parse(remote)));
    }

    private StorageRegistry Registry(Action<TamperPoint> onRead)
    {
        var options = server.Options with { PartSize = PartSize, MultipartThreshold = PartSize };
        return new StorageRegistry()
            .Register("file", uri => new FileStorage(uri))
            .Register("s3", uri => new TamperingStorage(new S3Storage(uri, options), onRead));
    }
}
