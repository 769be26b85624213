using System.Security.Cryptography;
using Amazon.S3;
using Microsoft.Extensions.Logging;

namespace SyncTooling.Storage.S3;

/// <summary>
/// What an ETag proves. A single-part object's ETag is the MD5 of its bytes, a multipart object's is the MD5 of
/// its parts' MD5s with the part count (<c>hex-N</c>), except where the server encrypts with KMS (SSE-KMS,
/// DSSE-KMS) or a customer key (SSE-C): then it is no MD5 at all. Only what is provably an MD5 is compared;
/// any other form is accepted (and logged at debug).
/// </summary>
public sealed partial class S3Storage
{
    private static readonly TimeSpan MaxCleanupTimeout = TimeSpan.FromSeconds(10);

    /// <summary>False when the server says it encrypted with KMS or a customer key, so the ETag is no MD5.</summary>
    private static bool ETagIsMd5(ServerSideEncryptionMethod? method, ServerSideEncryptionCustomerMethod? customerMethod = null) =>
        method?.Value?.StartsWith("aws:kms", StringComparison.Ordinal) != true && string.IsNullOrEmpty(customerMethod?.Value);

    /// <summary>The <see cref="Md5MetadataKey"/> value as lower-case hex: it may be hex or base64 (as rclone writes it).</summary>
    private static string? Md5FromMetadata(string? value)
    {
        if (Md5FromETag(value) is { } hex)
        {
            return hex;
        }

        Span<byte> digest = stackalloc byte[16];
        return value is { Length: 24 } && Convert.TryFromBase64String(value, digest, out int written) && written == 16 ? Convert.ToHexStringLower(digest) : null;
    }

    /// <summary>The failure (transient) when a PUT's or part's ETag is an MD5 other than the one of the bytes sent; else null.</summary>
    private StorageException? CheckStored(string? etag, string sentMd5Base64, ServerSideEncryptionMethod? method, string what)
    {
        string sent = Convert.ToHexStringLower(Convert.FromBase64String(sentMd5Base64));
        if (!ETagIsMd5(method))
        {
            return null;
        }

        if (Md5FromETag(etag) is not { } stored)
        {
            LogUnverifiedETag(_options.Logger, what, etag ?? "(none)");
            return null;
        }

        return stored == sent ? null : ETagMismatch(what, etag!, sent);
    }

    /// <summary>
    /// The failure (transient) when a completed multipart object's ETag proves other bytes than the parts sent: a
    /// <c>hex-N</c> ETag must be the MD5 of the parts' MD5s and their count; a plain MD5 (s3rver) the whole content's.
    /// </summary>
    private StorageException? CheckCompleted(string? etag, IReadOnlyList<byte[]> partMd5s, string? wholeMd5, ServerSideEncryptionMethod? method, string what)
    {
        if (!ETagIsMd5(method))
        {
            return null;
        }

        string? value = etag?.Trim('"').ToLowerInvariant();
        if (ExpectedCompletedETag(value, partMd5s, wholeMd5) is not { } expected)
        {
            LogUnverifiedETag(_options.Logger, what, etag ?? "(none)");
            return null;
        }

        return value == expected ? null : ETagMismatch(what, etag!, expected);
    }

    /// <summary>True only when <paramref name="etag"/> proves that the object holds exactly these parts.</summary>
    private static bool ProvesParts(string? etag, IReadOnlyList<byte[]> partMd5s, string? wholeMd5, ServerSideEncryptionMethod? method)
    {
        string? value = etag?.Trim('"').ToLowerInvariant();
        return ETagIsMd5(method) && ExpectedCompletedETag(value, partMd5s, wholeMd5) is { } expected && value == expected;
    }

    /// <summary>The ETag a completed upload of these parts must have, in the form the server used; null when that form proves nothing.</summary>
    private static string? ExpectedCompletedETag(string? value, IReadOnlyList<byte[]> partMd5s, string? wholeMd5)
    {
        int dash = value?.LastIndexOf('-') ?? -1;
        if (dash == 32 && Md5FromETag(value![..dash]) is not null && int.TryParse(value.AsSpan(dash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
#pragma warning disable CA5351 // The multipart ETag is defined with MD5.
            return Convert.ToHexStringLower(MD5.HashData(partMd5s.SelectMany(m => m).ToArray())) + "-" + partMd5s.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
#pragma warning restore CA5351
        }

        return Md5FromETag(value) is not null ? wholeMd5 : null;
    }

    /// <summary>
    /// Removes an object whose ETag proved other bytes than the ones sent, so no later sync takes it for current
    /// (its size may match and it is newer than the source). Best effort, with the short cleanup bound.
    /// </summary>
    private async Task RemoveUnverifiedAsync(string fullKey)
    {
        try
        {
            using var timeout = new CancellationTokenSource(CleanupTimeout);
            await _client.DeleteObjectAsync(_endpoint.Bucket, fullKey, timeout.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Best effort: the verification failure is what gets reported.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>The bound of a cleanup request (an abort, a removal): 10 s, or the request timeout when shorter.</summary>
    private TimeSpan CleanupTimeout => _options.RequestTimeout < MaxCleanupTimeout ? _options.RequestTimeout : MaxCleanupTimeout;

    private static StorageException ETagMismatch(string what, string etag, string expected) => new(
        StorageErrorKind.Transient,
        $"S3 answered ETag {etag} for {what}, but the bytes sent give {expected}: the server did not store what was sent; retrying may help.");

    [LoggerMessage(Level = LogLevel.Debug, Message = "ETag {ETag} of {What} is not a form that proves an MD5; accepted unverified")]
    private static partial void LogUnverifiedETag(ILogger logger, string what, string etag);
}
