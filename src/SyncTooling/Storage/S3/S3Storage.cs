using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using SyncTooling.Sync;

namespace SyncTooling.Storage.S3;

/// <summary>
/// <c>s3://bucket/prefix</c> on AWS or any S3-compatible server, and <c>gs://bucket/prefix</c> through Google
/// Cloud Storage's S3-compatible XML API. Listings come from ListObjectsV2 (size, time and, for single-part
/// objects, the MD5 ETag); files above <see cref="S3StorageOptions.MultipartThreshold"/> go up in parts, in
/// parallel, with memory bounded by part size x parts in flight. Every upload carries Content-MD5, so the
/// server verifies the bytes. Transient failures are retried per request with <see cref="RetryPolicy"/>.
/// </summary>
public sealed partial class S3Storage : IStorage, IObjectMetadataStorage
{
    /// <summary>
    /// Object metadata with the content MD5 of multipart uploads, whose ETag is not an MD5 on AWS: base64 of the
    /// 16-byte digest, as rclone writes and reads it (hex, as versions before 0.2 wrote it, is read too).
    /// </summary>
    public const string Md5MetadataKey = "md5chksum";

    /// <summary>
    /// Object metadata with the source's modification time, as rclone writes and reads it: decimal Unix seconds
    /// with up to nine fractional digits (<see cref="UnixTime.ToMetadataString"/>).
    /// </summary>
    public const string MtimeMetadataKey = "mtime";

    private readonly S3StorageOptions _options;
    private readonly S3Endpoint _endpoint;
    private readonly AmazonS3Client _client;
    private readonly RetryPolicy _retry;
    private readonly SemaphoreSlim _partSlots;

    /// <summary>Opens <c>s3://bucket/prefix</c> or <c>gs://bucket/prefix</c>.</summary>
    /// <exception cref="ArgumentException">The location is not s3:// or gs://.</exception>
    public S3Storage(StorageUri location, S3StorageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (!location.IsCloud)
        {
            throw new ArgumentException($"S3Storage needs an s3:// or gs:// location, not '{location}'.", nameof(location));
        }

        _options = options ?? new S3StorageOptions();
        _options.Validate();
        Location = location;
        _endpoint = S3Endpoint.Resolve(location, _options);
        var config = _endpoint.ToConfig(_options);
        _client = _endpoint.Credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(_endpoint.Credentials, config);
        _retry = new RetryPolicy(_options.Retries, timeProvider: _options.TimeProvider);
        _partSlots = new SemaphoreSlim(_options.PartsInFlight);
        Capabilities = new StorageCapabilities(
            PreservesModificationTime: false,
            ModificationTimePrecision: TimeSpan.FromSeconds(1),
            HasDirectories: false,
            MaxDeleteBatch: _endpoint.IsGcs ? 100 : 1000);
    }

    /// <inheritdoc />
    public StorageUri Location { get; }

    /// <inheritdoc />
    public StorageCapabilities Capabilities { get; }

    /// <summary>True when uploads use plain bodies and Content-MD5 only (custom endpoints), false for the SDK's default checksums (AWS).</summary>
    public bool CompatibleChecksums => _endpoint.Compatible;

    /// <inheritdoc />
    public async IAsyncEnumerable<StorageEntry> ListAsync(Func<string, bool>? shouldDescend = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var o in ListObjectsAsync(cancellationToken).ConfigureAwait(false))
        {
            string key = o.Key[_endpoint.KeyPrefix.Length..];
            if (key.Length > 0)
            {
                yield return new StorageEntry(key, o.Size ?? 0, new DateTimeOffset(DateTime.SpecifyKind(o.LastModified ?? default, DateTimeKind.Utc)), Md5FromETag(o.ETag)) { ETag = o.ETag };
            }
        }
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        StorageKey.Validate(key);
        var response = await CallAsync(
            ct => _client.GetObjectAsync(new GetObjectRequest { BucketName = _endpoint.Bucket, Key = _endpoint.KeyPrefix + key }, ct),
            Where(key),
            cancellationToken).ConfigureAwait(false);
        return new ResponseStream(response);
    }

    /// <inheritdoc />
    public async Task<ObjectMetadata> ReadMetadataAsync(string key, CancellationToken cancellationToken = default)
    {
        StorageKey.Validate(key);
        var response = await CallAsync(
            ct => _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _endpoint.Bucket, Key = _endpoint.KeyPrefix + key }, ct),
            Where(key),
            cancellationToken).ConfigureAwait(false);
        return MetadataOf(response.Metadata);
    }

    /// <inheritdoc />
    public Task WriteAsync(string key, Stream content, long length, DateTimeOffset lastModified, CancellationToken cancellationToken = default) =>
        WriteAsync(key, content, length, UnixTime.From(lastModified), cancellationToken);

    /// <inheritdoc />
    public async Task WriteAsync(string key, Stream content, long length, UnixTime lastModified, CancellationToken cancellationToken = default)
    {
        StorageKey.Validate(key);
        ArgumentNullException.ThrowIfNull(content);
        if (length > _options.MultipartThreshold)
        {
            await new MultipartUpload(this, _endpoint.KeyPrefix + key, Where(key), lastModified).RunAsync(content, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Small files are buffered whole: the request can be retried, signed and given Content-MD5 without a second read.
        using var buffer = new MemoryStream(length is > 0 and < int.MaxValue ? (int)length : 0);
        await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        byte[] data = buffer.GetBuffer();
        int count = (int)buffer.Length;
#pragma warning disable CA5351 // Content-MD5 is what S3 verifies uploads with.
        string md5 = Convert.ToBase64String(MD5.HashData(data.AsSpan(0, count)));
#pragma warning restore CA5351
        await CallAsync(
            async ct =>
            {
                var request = new PutObjectRequest
                {
                    BucketName = _endpoint.Bucket,
                    Key = _endpoint.KeyPrefix + key,
                    InputStream = new MemoryStream(data, 0, count, writable: false),
                    AutoCloseStream = true,
                    MD5Digest = md5,
                };
                request.ContentType = ContentTypes.For(key);
                Prepare(request.Metadata, lastModified, null);
                if (_endpoint.Compatible)
                {
                    request.UseChunkEncoding = false;
                }

                return await _client.PutObjectAsync(request, ct).ConfigureAwait(false);
            },
            Where(key),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (string key in keys)
        {
            StorageKey.Validate(key);
        }

        await DeleteRawAsync(keys.Select(k => _endpoint.KeyPrefix + k), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteAllAsync(CancellationToken cancellationToken = default)
    {
        // Raw keys, so directory markers and keys this library refuses to download are removed too.
        var keys = new List<string>();
        await foreach (var o in ListObjectsAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(o.Key);
        }

        await DeleteRawAsync(keys, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _partSlots.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Every object below the prefix, page by page (ListObjectsV2), each page retried on its own.</summary>
    private async IAsyncEnumerable<S3Object> ListObjectsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var request = new ListObjectsV2Request { BucketName = _endpoint.Bucket, Prefix = _endpoint.KeyPrefix, ContinuationToken = token };
            var response = await CallAsync(ct => _client.ListObjectsV2Async(request, ct), "listing", cancellationToken).ConfigureAwait(false);
            foreach (var o in response.S3Objects ?? [])
            {
                yield return o;
            }

            token = response.IsTruncated == true ? response.NextContinuationToken : null;
        }
        while (token is not null);
    }

    private async Task DeleteRawAsync(IEnumerable<string> fullKeys, CancellationToken cancellationToken)
    {
        foreach (var batch in fullKeys.Chunk(Capabilities.MaxDeleteBatch))
        {
            if (_endpoint.IsGcs)
            {
                // The GCS XML API has no multi-object delete.
                foreach (string fullKey in batch)
                {
                    await CallAsync(ct => _client.DeleteObjectAsync(_endpoint.Bucket, fullKey, ct), "delete", cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            await CallAsync(
                async ct =>
                {
                    var request = new DeleteObjectsRequest { BucketName = _endpoint.Bucket, Quiet = true, Objects = batch.Select(k => new KeyVersion { Key = k }).ToList() };
                    var response = await _client.DeleteObjectsAsync(request, ct).ConfigureAwait(false);
                    if (response.DeleteErrors is { Count: > 0 } errors)
                    {
                        var first = errors[0];
                        bool transient = first.Code is "InternalError" or "SlowDown" or "ServiceUnavailable";
                        throw new StorageException(
                            transient ? StorageErrorKind.Transient : StorageErrorKind.Permanent,
                            $"Deleting {errors.Count} of {batch.Length} objects in bucket '{_endpoint.Bucket}' failed; first: {first.Key}: {first.Code} {first.Message}");
                    }

                    return response;
                },
                "delete",
                cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> request, string where, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(
            async ct =>
            {
                try
                {
                    return await request(ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (S3Errors.Classify(ex, _endpoint.Bucket, where, ct) is { } classified && !ReferenceEquals(classified, ex))
                {
                    throw classified;
                }
            },
            cancellationToken);

    private static void Prepare(MetadataCollection metadata, UnixTime lastModified, string? md5Hex)
    {
        metadata.Add(MtimeMetadataKey, lastModified.ToMetadataString());
        if (md5Hex is not null)
        {
            metadata.Add(Md5MetadataKey, Convert.ToBase64String(Convert.FromHexString(md5Hex)));
        }
    }

    /// <summary>Reads rclone's <c>mtime</c> and <c>md5chksum</c> (base64, or the hex older versions of this library wrote); malformed values count as absent.</summary>
    internal static ObjectMetadata MetadataOf(MetadataCollection metadata)
    {
        UnixTime? modified = UnixTime.TryParseMetadata(metadata[MtimeMetadataKey], out var time) ? time : null;
        string? stored = metadata[Md5MetadataKey]?.Trim();
        string? md5 = null;
        if (stored is { Length: 32 } && stored.All(char.IsAsciiHexDigit))
        {
            md5 = stored.ToLowerInvariant();
        }
        else if (stored is { Length: 24 })
        {
            byte[] digest = new byte[16];
            if (Convert.TryFromBase64String(stored, digest, out int written) && written == 16)
            {
                md5 = Convert.ToHexStringLower(digest);
            }
        }

        return new ObjectMetadata(modified, md5);
    }

    private string Where(string key) => $"'{Location}/{key}'";

    private static string? Md5FromETag(string? etag)
    {
        string? value = etag?.Trim('"');
        return value is { Length: 32 } && value.All(char.IsAsciiHexDigit) ? value.ToLowerInvariant() : null;
    }

    /// <summary>Keeps the GetObject response alive while its body is read.</summary>
    private sealed class ResponseStream(GetObjectResponse response) : Stream, IObjectMetadataSource
    {
        private readonly Stream _inner = response.ResponseStream;

        public ObjectMetadata Metadata { get; } = MetadataOf(response.Metadata);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => response.ContentLength;

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
