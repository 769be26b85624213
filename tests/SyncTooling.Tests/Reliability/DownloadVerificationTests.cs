using System.Security.Cryptography;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Reliability;

/// <summary>
/// A download keeps exactly the bytes listed: a body that is short, long or damaged fails the attempt (it is
/// retried), and nothing is ever left at the final path or as a temp file.
/// </summary>
public sealed class DownloadVerificationTests : IDisposable
{
    private const string Key = "run/a.bin";
    private static readonly byte[] Content = RandomNumberGenerator.GetBytes(64 * 1024);
    private readonly TempDirectory _temp = new();

    public enum Misbehaviour
    {
        /// <summary>Content-Length says the listed size; half the body comes, then a clean FIN.</summary>
        CutShortThenClosed,

        /// <summary>A consistent answer (Content-Length matches the body), but half the listed size.</summary>
        ShortContentLength,

        /// <summary>A consistent answer with 1 KiB more than listed.</summary>
        LongerThanListed,

        /// <summary>The listed size, the listed ETag, other bytes.</summary>
        WrongContent,
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(Misbehaviour.CutShortThenClosed, "The response ended prematurely")]
    [InlineData(Misbehaviour.ShortContentLength, "the server announced 32768 bytes, the listing said 65536; nothing was written.")]
    [InlineData(Misbehaviour.LongerThanListed, "the server announced 66560 bytes, the listing said 65536; nothing was written.")]
    [InlineData(Misbehaviour.WrongContent, "MD5 mismatch")]
    public async Task ABadBody_IsRetried_ThenFails_AndLeavesNoFile(Misbehaviour misbehaviour, string expected)
    {
        await using var server = HostileS3Server.Start(async r =>
        {
            if (r.IsList)
            {
                await r.RespondListAsync([ListedObject.Of(Key, Content)]);
            }
            else
            {
                await MisbehaveAsync(r, misbehaviour);
            }
        });

        var result = await SyncDownAsync(server, retries: 2);

        var failure = Assert.Single(result.Failures);
        Assert.Equal("a.bin", failure.Key);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Count(r => r.IsGet));
        Assert.Empty(FilesIn(_temp.Combine("down")));
    }

    [Fact]
    public async Task AFirstAttemptCutShort_IsRetried_AndTheFileArrivesByteExact()
    {
        int gets = 0;
        await using var server = HostileS3Server.Start(async r =>
        {
            if (r.IsList)
            {
                await r.RespondListAsync([ListedObject.Of(Key, Content)]);
            }
            else if (Interlocked.Increment(ref gets) == 1)
            {
                await MisbehaveAsync(r, Misbehaviour.CutShortThenClosed);
            }
            else
            {
                await r.RespondAsync(200, Content, [HostileS3Bucket.ETag(HostileS3Bucket.Md5(Content))]);
            }
        });

        var result = await SyncDownAsync(server, retries: 2);

        Assert.Empty(result.Failures);
        Assert.Equal(2, server.Count(r => r.IsGet));
        Assert.Equal(Content, await File.ReadAllBytesAsync(_temp.Combine("down", "a.bin")));
        Assert.Equal(["a.bin"], FilesIn(_temp.Combine("down")));
    }

    [Fact]
    public async Task AnAnnouncedLengthMismatch_NamesTheKeyBeforeTheQuery()
    {
        await using var server = HostileS3Server.Start(async r =>
        {
            if (r.IsList)
            {
                await r.RespondListAsync([ListedObject.Of(Key, Content)]);
            }
            else
            {
                await MisbehaveAsync(r, Misbehaviour.ShortContentLength);
            }
        });

        var result = await SyncDownAsync(server, retries: 0);

        Assert.StartsWith($"'s3://hostile/run/a.bin?endpoint_override={server.Endpoint}&scheme=http", Assert.Single(result.Failures).Message, StringComparison.Ordinal);
    }

    /// <summary>An ETag that is not 32 hex digits (optionally -N) is no MD5: the download is not verified by it, and does not crash.</summary>
    [Theory]
    [InlineData("abc")]
    [InlineData("0123456789abcdef0123456789abcde")]
    [InlineData("0123456789abcdef0123456789abcdef0")]
    [InlineData("xyz")]
    public async Task AnETagThatIsNoMd5_DoesNotFailTheDownload(string etag)
    {
        await using var server = HostileS3Server.Start(async r =>
        {
            if (r.IsList)
            {
                await r.RespondListAsync([new ListedObject(Key, Content.Length, etag, DateTimeOffset.UtcNow.AddMinutes(-5))]);
            }
            else
            {
                await r.RespondAsync(200, Content, [HostileS3Bucket.ETag(etag)]);
            }
        });

        var result = await SyncDownAsync(server, retries: 0);

        Assert.Empty(result.Failures);
        Assert.Equal(Content, await File.ReadAllBytesAsync(_temp.Combine("down", "a.bin")));
    }

    /// <summary>A multipart object's ETag is no MD5; the uploader's <c>md5chksum</c> metadata, hex or base64 (rclone), is.</summary>
    [Theory]
    [InlineData("hex", false)]
    [InlineData("base64", false)]
    [InlineData("hex", true)]
    [InlineData("base64", true)]
    public async Task TheMd5ChksumMetadata_IsChecked_InEitherEncoding(string encoding, bool damaged)
    {
#pragma warning disable CA5351 // The metadata holds an MD5.
        byte[] md5 = MD5.HashData(Content);
#pragma warning restore CA5351
        string metadata = encoding == "hex" ? Convert.ToHexStringLower(md5) : Convert.ToBase64String(md5);
        byte[] body = damaged ? Damaged(Content) : Content;
        const string MultipartETag = "0123456789abcdef0123456789abcdef-2";
        await using var server = HostileS3Server.Start(async r =>
        {
            if (r.IsList)
            {
                await r.RespondListAsync([new ListedObject(Key, Content.Length, MultipartETag, DateTimeOffset.UtcNow.AddMinutes(-5))]);
            }
            else
            {
                await r.RespondAsync(200, body, [HostileS3Bucket.ETag(MultipartETag), new("x-amz-meta-md5chksum", metadata)]);
            }
        });

        var result = await SyncDownAsync(server, retries: 0);

        if (damaged)
        {
            Assert.Contains("MD5 mismatch", Assert.Single(result.Failures).Message, StringComparison.Ordinal);
            Assert.Empty(FilesIn(_temp.Combine("down")));
        }
        else
        {
            Assert.Empty(result.Failures);
            Assert.Equal(Content, await File.ReadAllBytesAsync(_temp.Combine("down", "a.bin")));
        }
    }

    /// <summary>An SSE-KMS object's ETag looks like an MD5 but is not one: it must not fail a good download.</summary>
    [Fact]
    public async Task AnSseKmsETag_IsNotTakenForAnMd5()
    {
        string notAnMd5 = HostileS3Bucket.Md5(Damaged(Content));
        await using var server = HostileS3Server.Start(async r =>
        {
            if (r.IsList)
            {
                await r.RespondListAsync([new ListedObject(Key, Content.Length, notAnMd5, DateTimeOffset.UtcNow.AddMinutes(-5))]);
            }
            else
            {
                await r.RespondAsync(200, Content, [HostileS3Bucket.ETag(notAnMd5), new("x-amz-server-side-encryption", "aws:kms"), new("x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:us-east-1:111122223333:key/hostile")]);
            }
        });

        var result = await SyncDownAsync(server, retries: 0);

        Assert.Empty(result.Failures);
        Assert.Equal(Content, await File.ReadAllBytesAsync(_temp.Combine("down", "a.bin")));
    }

    private static Task MisbehaveAsync(HostileRequest r, Misbehaviour misbehaviour)
    {
        var etag = HostileS3Bucket.ETag(HostileS3Bucket.Md5(Content));
        return misbehaviour switch
        {
            Misbehaviour.CutShortThenClosed => r.RespondAsync(200, Content[..(Content.Length / 2)], [etag, new("Content-Length", Content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
            Misbehaviour.ShortContentLength => r.RespondAsync(200, Content[..(Content.Length / 2)], [etag]),
            Misbehaviour.LongerThanListed => r.RespondAsync(200, [.. Content, .. new byte[1024]], [etag]),
            _ => r.RespondAsync(200, Damaged(Content), [etag]),
        };
    }

    private static byte[] Damaged(byte[] content)
    {
        byte[] copy = [.. content];
        copy[copy.Length / 3] ^= 0xFF;
        return copy;
    }

    private Task<SyncResult> SyncDownAsync(HostileS3Server server, int retries) =>
        new SyncEngine(server.Registry()).SyncAsync(StorageUri.Parse(server.Location("run")), StorageUri.Parse(_temp.Combine("down")), new SyncOptions { Retries = retries });

    /// <summary>Every file below <paramref name="root"/>, temp files (<see cref="FileStorage.TempPrefix"/>*) included.</summary>
    private static string[] FilesIn(string root) =>
        Directory.Exists(root) ? [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f))] : [];
}
