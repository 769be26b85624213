using System.Diagnostics;
using System.Security.Cryptography;
using SyncTooling.Storage;
using SyncTooling.Storage.S3;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Reliability;

/// <summary>
/// An upload is checked against what the server says it stored: an ETag that is an MD5 (a PUT, a part, a completed
/// multipart object in <c>hex-N</c> or plain form) must be the MD5 of the bytes sent. A part that fails for good
/// is reported as itself, and aborting the upload never hangs.
/// </summary>
public sealed class UploadVerificationTests : IDisposable
{
    private const int PartSize = 5 * 1024 * 1024;
    private readonly TempDirectory _temp = new();
    private readonly HostileS3Bucket _bucket = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AWrongPutETag_IsRetried_ThenFails_AndTheObjectIsRemoved()
    {
        byte[] content = WriteSource(64 * 1024);
        await using var server = HostileS3Server.Start(r =>
        {
            if (!r.IsPut)
            {
                return _bucket.HandleAsync(r);
            }

            _bucket.Put(r.Key, r.Body);
            return r.RespondAsync(200, headers: [HostileS3Bucket.ETag(HostileS3Bucket.Md5([1, 2, 3]))]);
        });

        var result = await SyncUpAsync(server, s3Retries: 1, retries: 1);

        Assert.Contains($"but the bytes sent give {HostileS3Bucket.Md5(content)}: the server did not store what was sent", Assert.Single(result.Failures).Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Count(r => r.IsPut)); // the storage retried the PUT once; the engine does not retry it again
        Assert.Equal(2, server.Count(r => r.Method == "DELETE"));
        Assert.Empty(_bucket.Objects);
    }

    [Fact]
    public async Task AWrongPartETag_IsRetried_ThenFails_AndTheUploadIsAborted()
    {
        WriteSource((2 * PartSize) + 1000);
        await using var server = HostileS3Server.Start(r => IsPart(r, 2) ? r.RespondAsync(200, headers: [HostileS3Bucket.ETag(HostileS3Bucket.Md5([1, 2, 3]))]) : _bucket.HandleAsync(r));

        var result = await SyncUpAsync(server, s3Retries: 1, retries: 0);

        Assert.Contains("part 2", Assert.Single(result.Failures).Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Count(r => IsPart(r, 2)));
        Assert.Equal(0, server.Count(r => r.IsCompleteMultipart));
        Assert.Equal(1, server.Count(r => r.IsAbortMultipart));
        Assert.Empty(_bucket.Objects);
    }

    [Fact]
    public async Task AWrongMultipartETag_IsRetried_ThenFails_AndTheObjectIsRemoved()
    {
        WriteSource((2 * PartSize) + 1000);
        await using var server = HostileS3Server.Start(r =>
        {
            if (!r.IsCompleteMultipart)
            {
                return _bucket.HandleAsync(r);
            }

            string correct = HostileS3Bucket.MultipartETag(_bucket.Complete(r));
            return HostileS3Bucket.RespondCompletedAsync(r, (correct[0] == '0' ? "1" : "0") + correct[1..]);
        });

        var result = await SyncUpAsync(server, s3Retries: 1, retries: 1);

        Assert.Contains("S3 answered ETag", Assert.Single(result.Failures).Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Count(r => r.IsCompleteMultipart));
        Assert.Empty(_bucket.Objects);
    }

    [Fact]
    public async Task ACorrectHexDashNETag_IsAccepted_AndTheObjectIsByteExact()
    {
        byte[] content = WriteSource((2 * PartSize) + 1000);
        await using var server = HostileS3Server.Start(_bucket.HandleAsync);

        var result = await SyncUpAsync(server, s3Retries: 0, retries: 0);

        Assert.Empty(result.Failures);
        Assert.Equal(content, _bucket.Objects["run/a.bin"]);
        Assert.Equal(3, server.Count(r => r.IsUploadPart));
    }

    /// <summary>s3rver answers a multipart upload with the plain MD5 of the whole content: that is checked instead.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task APlainMd5MultipartETag_IsCheckedAgainstTheWholeContent(bool right)
    {
        byte[] content = WriteSource((2 * PartSize) + 1000);
        await using var server = HostileS3Server.Start(r =>
        {
            if (!r.IsCompleteMultipart)
            {
                return _bucket.HandleAsync(r);
            }

            _bucket.Complete(r);
            return HostileS3Bucket.RespondCompletedAsync(r, HostileS3Bucket.Md5(right ? content : content[1..]));
        });

        var result = await SyncUpAsync(server, s3Retries: 0, retries: 0);

        Assert.Equal(right, result.Failures.Count == 0);
        Assert.Equal(right, _bucket.Objects.ContainsKey("run/a.bin"));
        Assert.Equal(right ? [] : [$"S3 answered ETag \"{HostileS3Bucket.Md5(content[1..])}\""], result.Failures.Select(f => f.Message[..(f.Message.IndexOf(" for ", StringComparison.Ordinal))]));
    }

    /// <summary>An ETag in no known form proves nothing: it is accepted (and logged at debug), not failed.</summary>
    [Theory]
    [InlineData("complete")]
    [InlineData("put")]
    public async Task AnETagOfUnknownForm_IsAccepted(string request)
    {
        await using var server = HostileS3Server.Start(async r =>
        {
            if (r.IsCompleteMultipart && request == "complete")
            {
                _bucket.Complete(r);
                await HostileS3Bucket.RespondCompletedAsync(r, "hostile-etag");
            }
            else if (r.IsPut && request == "put")
            {
                _bucket.Put(r.Key, r.Body);
                await r.RespondAsync(200, headers: [HostileS3Bucket.ETag("hostile-etag")]);
            }
            else
            {
                await _bucket.HandleAsync(r);
            }
        });
        byte[] content = WriteSource(request == "complete" ? (2 * PartSize) + 1000 : 1000);

        var result = await SyncUpAsync(server, s3Retries: 0, retries: 0);

        Assert.Empty(result.Failures);
        Assert.Equal(content, _bucket.Objects["run/a.bin"]);
    }

    /// <summary>
    /// One part at a time, so the read loop waits for a slot when part 1 fails: the cancellation that failure causes
    /// used to be reported ("A task was canceled.") and retried, instead of the 403.
    /// </summary>
    [Fact]
    public async Task APartFailingForGood_IsReportedAsItself_AndNotRetried()
    {
        WriteSource((2 * PartSize) + 1000);
        await using var server = HostileS3Server.Start(r => IsPart(r, 1) ? r.RespondErrorAsync(403, "QuotaExceeded", "The account is over its storage quota.") : _bucket.HandleAsync(r));

        var result = await SyncUpAsync(server, s3Retries: 2, retries: 2, partsInFlight: 1);

        string message = Assert.Single(result.Failures).Message;
        Assert.Contains("(QuotaExceeded) writing", message, StringComparison.Ordinal);
        Assert.Contains("part 1", message, StringComparison.Ordinal);
        Assert.DoesNotContain("canceled", message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, server.Count(r => r.IsInitiateMultipart));
        Assert.Equal(1, server.Count(r => IsPart(r, 1)));
        Assert.Equal(1, server.Count(r => r.IsAbortMultipart));
        Assert.Equal(0, server.Count(r => r.IsCompleteMultipart));
    }

    [Fact]
    public async Task AStalledAbort_DoesNotHoldUpTheFailure()
    {
        WriteSource((2 * PartSize) + 1000);
        await using var server = HostileS3Server.Start(r =>
            IsPart(r, 1) ? r.RespondErrorAsync(403, "QuotaExceeded", "The account is over its storage quota.")
            : r.IsAbortMultipart ? r.StallAsync(TimeSpan.FromMinutes(5))
            : _bucket.HandleAsync(r));
        var clock = Stopwatch.StartNew();

        var result = await SyncUpAsync(server, s3Retries: 0, retries: 0, partsInFlight: 1);

        Assert.Contains("(QuotaExceeded)", Assert.Single(result.Failures).Message, StringComparison.Ordinal);
        Assert.Equal(1, server.Count(r => r.IsAbortMultipart));
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(60)); // the abort's own bound is 10 s; the request timeout is 2 min
    }

    /// <summary>
    /// The server completes the upload but the answer is lost (a reset): the retried Complete gets NoSuchUpload. The
    /// object is there and its ETag proves the parts, so the file counts as uploaded instead of failing (or being redone).
    /// </summary>
    [Fact]
    public async Task ACompleteWhoseAnswerIsLost_IsConfirmedByItsETag_NotFailedOnTheRetrysNoSuchUpload()
    {
        byte[] content = WriteSource((2 * PartSize) + 1000);
        int completes = 0;
        await using var server = HostileS3Server.Start(async r =>
        {
            if (r.IsCompleteMultipart && Interlocked.Increment(ref completes) == 1)
            {
                _bucket.Complete(r);
                r.Reset();
                return;
            }

            await _bucket.HandleAsync(r);
        });

        var result = await SyncUpAsync(server, s3Retries: 2, retries: 0);

        Assert.Empty(result.Failures);
        Assert.Equal(2, server.Count(r => r.IsCompleteMultipart));
        Assert.Equal(1, server.Count(r => r.IsHead));
        Assert.Equal(0, server.Count(r => r.IsAbortMultipart));
        Assert.Equal(content, _bucket.Objects["run/a.bin"]);
    }

    /// <summary>NoSuchUpload on Complete with an object whose ETag does not prove these parts (another writer's) stays a failure.</summary>
    [Fact]
    public async Task NoSuchUploadOnComplete_WithAnotherObjectAtTheKey_StaysAFailure()
    {
        WriteSource((2 * PartSize) + 1000);
        await using var server = HostileS3Server.Start(r =>
        {
            if (r.IsCompleteMultipart)
            {
                _bucket.Put(r.Key, [9, 9, 9]);
                return r.RespondErrorAsync(404, "NoSuchUpload", "The specified upload does not exist.");
            }

            return _bucket.HandleAsync(r);
        });

        var result = await SyncUpAsync(server, s3Retries: 2, retries: 0);

        Assert.Contains("does not exist (404)", Assert.Single(result.Failures).Message, StringComparison.Ordinal);
        Assert.Equal(1, server.Count(r => r.IsHead));
    }

    private static bool IsPart(HostileRequest r, int number) => r.IsUploadPart && r.Query["partNumber"] == number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private byte[] WriteSource(int size)
    {
        byte[] content = RandomNumberGenerator.GetBytes(size);
        Directory.CreateDirectory(_temp.Combine("src"));
        File.WriteAllBytes(_temp.Combine("src", "a.bin"), content);
        return content;
    }

    private Task<SyncResult> SyncUpAsync(HostileS3Server server, int s3Retries, int retries, int partsInFlight = 4)
    {
        var options = server.Options with { Retries = s3Retries, PartSize = PartSize, MultipartThreshold = PartSize, PartsInFlight = partsInFlight };
        return new SyncEngine(server.Registry(options)).SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(server.Location("run")), new SyncOptions { Retries = retries });
    }
}
