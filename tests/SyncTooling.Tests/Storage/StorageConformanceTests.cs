using System.Security.Cryptography;
using System.Text;
using SyncTooling.Storage;

namespace SyncTooling.Tests.Storage;

/// <summary>
/// The contract every backend keeps. Each backend's test class inherits this and only says how to make a
/// fresh, empty storage location (and one whose root does not exist).
/// </summary>
public abstract class StorageConformanceTests
{
    /// <summary>A fresh, empty, usable location.</summary>
    protected abstract IStorage CreateStorage();

    /// <summary>A location whose root does not exist yet (for object stores: an unused prefix).</summary>
    protected abstract IStorage CreateStorageWithMissingRoot();

    [Fact]
    public async Task Write_ThenList_ShowsKeySizeAndTime()
    {
        await using var storage = CreateStorage();
        var modified = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

        await WriteTextAsync(storage, "a/b/c.txt", "hello", modified);
        var listing = await ListAsync(storage);

        var entry = Assert.Single(listing);
        Assert.Equal("a/b/c.txt", entry.Key);
        Assert.Equal(5, entry.Size);
        if (storage.Capabilities.PreservesModificationTime)
        {
            Assert.Equal(modified, entry.LastModified);
        }

        if (entry.Md5 is not null)
        {
            Assert.Equal(Md5("hello"), entry.Md5);
        }
    }

    [Fact]
    public async Task Write_ThenRead_ReturnsSameBytes()
    {
        await using var storage = CreateStorage();
        byte[] data = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);

        await storage.WriteAsync("big.bin", new MemoryStream(data), data.Length, DateTimeOffset.UtcNow);
        byte[] read = await ReadAsync(storage, "big.bin");

        Assert.Equal(SHA256.HashData(data), SHA256.HashData(read));
    }

    [Fact]
    public async Task Write_Overwrites_ExistingContent()
    {
        await using var storage = CreateStorage();
        await WriteTextAsync(storage, "f.txt", "first version", DateTimeOffset.UtcNow);

        await WriteTextAsync(storage, "f.txt", "second", DateTimeOffset.UtcNow);

        Assert.Equal("second", Encoding.UTF8.GetString(await ReadAsync(storage, "f.txt")));
        Assert.Equal(6, Assert.Single(await ListAsync(storage)).Size);
    }

    [Theory]
    [InlineData("empty.txt", "")]
    [InlineData("sp ace/ü n i ç ø d e/日本語.txt", "unicode")]
    [InlineData("plus+sign/percent%20/hash#/question?.txt", "specials")]
    [InlineData(".hidden/.dotfile", "dot")]
    [InlineData("d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/deep.txt", "deep")]
    [InlineData(".synctmp-notes.txt", "a user file that merely starts like a temp file")]
    [InlineData("d/.synctmp-0123456789abcdef0123456789abcdef", "not the temp shape (12 hex digits): a user file")]
    public async Task Keys_RoundTripExactly(string key, string content)
    {
        await using var storage = CreateStorage();

        await WriteTextAsync(storage, key, content, DateTimeOffset.UtcNow);
        var listing = await ListAsync(storage);

        Assert.Equal(key, Assert.Single(listing).Key);
        Assert.Equal(content, Encoding.UTF8.GetString(await ReadAsync(storage, key)));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/../../b")]
    [InlineData("/absolute")]
    [InlineData("back\\slash")]
    [InlineData("a//b")]
    [InlineData("./a")]
    [InlineData("dir/")]
    [InlineData("nul\0byte")]
    public async Task UnsafeKeys_AreRefused(string key)
    {
        await using var storage = CreateStorage();

        var ex = await Assert.ThrowsAsync<StorageException>(() => WriteTextAsync(storage, key, "x", DateTimeOffset.UtcNow));

        Assert.Equal(StorageErrorKind.InvalidKey, ex.Kind);
        Assert.StartsWith("Refused key", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await ListAsync(storage));
    }

    [Fact]
    public async Task Read_MissingKey_ThrowsNotFound()
    {
        await using var storage = CreateStorage();
        await WriteTextAsync(storage, "present.txt", "x", DateTimeOffset.UtcNow);

        var ex = await Assert.ThrowsAsync<StorageException>(() => storage.OpenReadAsync("absent.txt"));

        Assert.Equal(StorageErrorKind.NotFound, ex.Kind);
    }

    [Fact]
    public async Task Delete_RemovesGivenKeys_AndIgnoresMissingOnes()
    {
        await using var storage = CreateStorage();
        foreach (string key in new[] { "a.txt", "b/c.txt", "b/d.txt" })
        {
            await WriteTextAsync(storage, key, key, DateTimeOffset.UtcNow);
        }

        await storage.DeleteAsync(["a.txt", "b/c.txt", "never-existed.txt"]);

        Assert.Equal(["b/d.txt"], (await ListAsync(storage)).Select(e => e.Key));
    }

    [Fact]
    public async Task DeleteAll_RemovesEverything_AndToleratesMissingRoot()
    {
        await using var storage = CreateStorage();
        await WriteTextAsync(storage, "x/y.txt", "y", DateTimeOffset.UtcNow);
        await using var missing = CreateStorageWithMissingRoot();

        await storage.DeleteAllAsync();
        await missing.DeleteAllAsync();

        Assert.Empty(await ListOrEmptyAsync(storage));
    }

    [Fact]
    public async Task List_MissingRoot_IsNotFoundOnlyWhereDirectoriesExist()
    {
        await using var storage = CreateStorageWithMissingRoot();

        if (storage.Capabilities.HasDirectories)
        {
            var ex = await Assert.ThrowsAsync<StorageException>(() => ListAsync(storage));
            Assert.Equal(StorageErrorKind.NotFound, ex.Kind);
        }
        else
        {
            Assert.Empty(await ListAsync(storage));
        }
    }

    [Fact]
    public async Task FailedWrite_LeavesOldContent()
    {
        await using var storage = CreateStorage();
        await WriteTextAsync(storage, "f.txt", "old", DateTimeOffset.UtcNow);

        await Assert.ThrowsAsync<IOException>(() => storage.WriteAsync("f.txt", new FailingStream(100_000), 200_000, DateTimeOffset.UtcNow));
        await Assert.ThrowsAsync<IOException>(() => storage.WriteAsync("g.txt", new FailingStream(100_000), 200_000, DateTimeOffset.UtcNow));

        Assert.Equal("old", Encoding.UTF8.GetString(await ReadAsync(storage, "f.txt")));
        Assert.Equal(["f.txt"], (await ListAsync(storage)).Select(e => e.Key));
    }

    [Fact]
    public async Task CancelledWrite_LeavesNothing()
    {
        await using var storage = CreateStorage();
        using var cts = new CancellationTokenSource();
        var content = new CancellingStream(50_000, cts);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => storage.WriteAsync("c.txt", content, 100_000, DateTimeOffset.UtcNow, cts.Token));

        Assert.Empty(await ListAsync(storage));
    }

    [Fact]
    public async Task ConcurrentWrites_OfDifferentKeys_AllLand()
    {
        await using var storage = CreateStorage();

        await Parallel.ForEachAsync(Enumerable.Range(0, 64), async (i, ct) =>
            await WriteTextAsync(storage, $"p/{i % 4}/{i}.txt", i.ToString(System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow));

        Assert.Equal(64, (await ListAsync(storage)).Count);
    }

    protected static async Task WriteTextAsync(IStorage storage, string key, string text, DateTimeOffset modified)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        await storage.WriteAsync(key, new MemoryStream(bytes), bytes.Length, modified);
    }

    protected static async Task<byte[]> ReadAsync(IStorage storage, string key)
    {
        await using var stream = await storage.OpenReadAsync(key);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    protected static async Task<List<StorageEntry>> ListAsync(IStorage storage)
    {
        var entries = new List<StorageEntry>();
        await foreach (var entry in storage.ListAsync())
        {
            entries.Add(entry);
        }

        return entries.OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
    }

    private static async Task<List<StorageEntry>> ListOrEmptyAsync(IStorage storage)
    {
        try
        {
            return await ListAsync(storage);
        }
        catch (StorageException ex) when (ex.Kind == StorageErrorKind.NotFound)
        {
            return [];
        }
    }

    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Yields <c>failAfter</c> bytes, then throws, like a connection that drops mid-transfer.</summary>
    protected sealed class FailingStream(int failAfter) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= failAfter)
            {
                throw new IOException("simulated connection drop");
            }

            int n = Math.Min(count, failAfter - _position);
            Array.Fill(buffer, (byte)'x', offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Yields <c>cancelAfter</c> bytes, then cancels the token and keeps yielding.</summary>
    protected sealed class CancellingStream(int cancelAfter, CancellationTokenSource cts) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= cancelAfter)
            {
                cts.Cancel();
            }

            int n = Math.Min(count, 4096);
            Array.Fill(buffer, (byte)'y', offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
