using System.Net.Http;
using System.Security.Cryptography;
using SyncTooling.Storage;
using SyncTooling.Sync;

namespace SyncTooling.Tests.Sync;

/// <summary>The stream every transfer reads through: it fails the read that proves the bytes are not the ones listed.</summary>
public sealed class VerifyingStreamTests
{
    private static readonly byte[] Content = RandomNumberGenerator.GetBytes(10_000);

    [Fact]
    public async Task TheListedBytes_PassThroughUnchanged()
    {
        using var verified = Verifying(new MemoryStream(Content), Listed(Content));

        Assert.Equal(Content, await ReadAllAsync(verified));
    }

    [Fact]
    public async Task FewerBytesThanListed_FailTheReadThatEndsTheStream_AsTransient()
    {
        using var verified = Verifying(new MemoryStream(Content[..6000]), Listed(Content));

        var ex = await Assert.ThrowsAsync<StorageException>(() => ReadAllAsync(verified));

        Assert.True(ex.IsTransient);
        Assert.Equal("'memory://m/a.bin': received 6000 bytes, the listing said 10000; nothing was written.", ex.Message);
    }

    [Fact]
    public async Task MoreBytesThanListed_FailAsSoonAsTheListedSizeIsPassed()
    {
        using var verified = Verifying(new MemoryStream([.. Content, .. Content]), Listed(Content));
        var buffer = new byte[4096];
        int read = 0;

        var ex = await Assert.ThrowsAsync<StorageException>(async () =>
        {
            while (true)
            {
                read += await verified.ReadAsync(buffer);
            }
        });

        Assert.True(ex.IsTransient);
        Assert.Equal(8192, read);
        Assert.Equal("'memory://m/a.bin': received at least 12288 bytes, the listing said 10000; nothing was written.", ex.Message);
    }

    [Fact]
    public async Task OtherBytesOfTheListedSize_FailWithAnMd5Mismatch()
    {
        byte[] damaged = [.. Content];
        damaged[5000] ^= 1;
        using var verified = Verifying(new MemoryStream(damaged), Listed(Content));

        var ex = await Assert.ThrowsAsync<StorageException>(() => ReadAllAsync(verified));

        Assert.True(ex.IsTransient);
        Assert.StartsWith($"'memory://m/a.bin': MD5 mismatch: the bytes read have MD5 {Md5(damaged)}, expected {Md5(Content)}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARewind_ChecksTheNextPassFromScratch()
    {
        using var verified = Verifying(new MemoryStream(Content), Listed(Content));

        await ReadAllAsync(verified);
        verified.Position = 0;

        Assert.Equal(Content, await ReadAllAsync(verified));
    }

    [Fact]
    public async Task ALocalSource_IsCheckedByItsOwnCheck_WithTheBytesRead()
    {
        var counts = new List<long>();
        using var verified = new VerifyingStream(new MemoryStream(Content[..100]), Listed(Content) with { Md5 = null }, "'x'", counts.Add);

        await ReadAllAsync(verified);

        Assert.Equal([100], counts);
    }

    [Fact]
    public void ABodyCutShort_IsTransient()
    {
        var cutShort = new HttpIOException(HttpRequestError.ResponseEnded, "The response ended prematurely. (ResponseEnded)");

        Assert.True(ErrorClassifier.IsTransient(cutShort));
    }

    private static VerifyingStream Verifying(Stream inner, StorageEntry listed) => new(inner, listed, "'memory://m/a.bin'", null);

    private static StorageEntry Listed(byte[] content) => new("a.bin", content.Length, DateTimeOffset.UnixEpoch, Md5(content));

#pragma warning disable CA5351 // Listings carry MD5s.
    private static string Md5(byte[] content) => Convert.ToHexStringLower(MD5.HashData(content));
#pragma warning restore CA5351

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
