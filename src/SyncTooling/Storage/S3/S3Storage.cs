using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Amazon.Runtime.Credentials;
using Amazon.S3;
using Amazon.S3.Model;
using SyncTooling.Sync;
using SyncTooling.Validation;

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
    private readonly S3Connections _connections;
    private readonly PartUploader _parts;
    private readonly ByteBudget _smallBuffers;

    /// <summary>Opens <c>s3://bucket/prefix</c> or <c>gs://bucket/prefix</c>.</summary>
    /// <exception cref="ArgumentException">The location is not s3:// or gs://.</exception>
    public S3Storage(StorageUri location, S3StorageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (location.Scheme is not ("s3" or "gs"))
        {
            throw new ArgumentException($"S3Storage needs an s3:// or gs:// location, not '{location}'.", nameof(location));
        }

        _options = options ?? new S3StorageOptions();
        _options.Validate();
        Location = location;
        try
        {
            _endpoint = S3Endpoint.Resolve(location, _options);
            _connections = new S3Connections(_options.RequestTimeout);
            var config = _endpoint.ToConfig(_options, _connections);
            _client = _endpoint.Credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(_endpoint.Credentials, config);
        }
        catch (Exception ex) when (ex is TypeInitializationException { InnerException: InvalidDataException } or InvalidDataException)
        {
            throw MalformedProfileFile((ex as InvalidDataException ?? ex.InnerException)!);
        }
        _retry = new RetryPolicy(_options.Retries, timeProvider: _options.TimeProvider);
        _parts = new PartUploader(_options.PartSize, _options.PartsInFlight, PartLimits.S3);
        _smallBuffers = ByteBudget.ForSmallUploads(_options.MultipartThreshold);
        Capabilities = new StorageCapabilities(
            PreservesModificationTime: false,
            ModificationTimePrecision: TimeSpan.FromSeconds(1),
            HasDirectories: false,
            MaxDeleteBatch: _endpoint.IsGcs ? 100 : 1000);
    }

    /// <summary>
    /// The SDK reads the AWS config and credentials files (in a type initializer, or when a profile is named): a malformed
    /// line there surfaces as an InvalidDataException, inside a TypeInitializationException for the rest of the process,
    /// whose message quotes the line, which may hold a secret. One clear error instead, naming the file and line only.
    /// </summary>
    private static StorageException MalformedProfileFile(Exception invalid)
    {
        var where = MalformedProfileLine().Match(invalid.Message);
        string what = where.Success ? $"line {where.Groups["line"].Value} of {where.Groups["file"].Value.Trim()}" : "a line of the AWS config or credentials file";
        return new StorageException(
            StorageErrorKind.Permanent,
            $"The AWS profile files could not be read: {what} is not a [section], a key = value or a comment (the line is not shown: it may hold a secret). Fix that line, or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at other files.");
    }

    [GeneratedRegex(@"^Line (?<line>\d+):.*?in file (?<file>.+?) does not contain", RegexOptions.Singleline)]
    private static partial Regex MalformedProfileLine();

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
        return new ResponseStream(response, Where(key), ex => S3Errors.Classify(ex, _endpoint, Where(key), default) ?? ex);
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
            await new MultipartUpload(this, _endpoint.KeyPrefix + key, Where(key), lastModified).RunAsync(content, length, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Small files are buffered whole: the request can be retried, signed and given Content-MD5 without a second read.
        // The buffers of all transfers share one budget, so memory does not grow with --transfers.
        using var held = await _smallBuffers.AcquireAsync(length, cancellationToken).ConfigureAwait(false);
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

                var response = await _client.PutObjectAsync(request, ct).ConfigureAwait(false);
                if (CheckStored(response.ETag, md5, response.ServerSideEncryptionMethod, Where(key)) is { } mismatch)
                {
                    await RemoveUnverifiedAsync(request.Key).ConfigureAwait(false);
                    throw mismatch;
                }

                return response;
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
        var unsendable = new List<string>();
        await foreach (var o in ListObjectsAsync(cancellationToken).ConfigureAwait(false))
        {
            (StorageKey.HasLoneSurrogate(o.Key) ? unsendable : keys).Add(o.Key);
        }

        await DeleteRawAsync(keys, cancellationToken).ConfigureAwait(false);
        if (unsendable.Count > 0)
        {
            // AWSSDK.S3 sends keys as UTF-8 text, so a key whose bytes are not UTF-8 goes in a request signed here.
            foreach (string fullKey in unsendable)
            {
                byte[] raw = S3KeyEncoding.RawBytes(fullKey);
                string where = Where(StorageKey.Printable(fullKey[_endpoint.KeyPrefix.Length..]));
                await CallAsync(
                    async ct =>
                    {
                        var credentials = await (_endpoint.Credentials ?? DefaultAWSCredentialsIdentityResolver.GetCredentials(_client.Config)).GetCredentialsAsync().ConfigureAwait(false);
                        return await S3RawKeyDelete.DeleteAsync(_endpoint, credentials, raw, _options.RequestTimeout, _options.TimeProvider.GetUtcNow().UtcDateTime, where, ct).ConfigureAwait(false);
                    },
                    "delete",
                    cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _parts.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task DeleteRawAsync(IEnumerable<string> fullKeys, CancellationToken cancellationToken)
    {
        // A key with a character XML 1.0 cannot carry (U+0001, CR, ...) would break the DeleteObjects body: those go one by one, in the URL.
        var keys = fullKeys.ToList();
        foreach (string fullKey in keys.Where(k => !S3KeyEncoding.IsXmlSafe(k)))
        {
            await CallAsync(ct => _client.DeleteObjectAsync(_endpoint.Bucket, fullKey, ct), "delete", cancellationToken).ConfigureAwait(false);
        }

        foreach (var batch in keys.Where(S3KeyEncoding.IsXmlSafe).Chunk(Capabilities.MaxDeleteBatch))
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
                long started = _options.TimeProvider.GetTimestamp();
                long received = _connections.BytesReceived;
                try
                {
                    return await request(ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (ct.IsCancellationRequested)
                {
                    throw new StorageCanceledException(Unanswered(where, started, received), ex, ct);
                }
                catch (Exception ex) when (IsRequestTimeout(ex))
                {
                    throw new StorageException(StorageErrorKind.Transient, Unanswered(where, started, received), ex);
                }
                catch (Exception ex) when (S3Errors.Classify(ex, _endpoint, where, ct) is { } classified && !ReferenceEquals(classified, ex))
                {
                    throw classified;
                }
            },
            cancellationToken);

    /// <summary>A timeout of the SDK's own (<see cref="S3StorageOptions.RequestTimeout"/>), as opposed to one the caller asked for.</summary>
    private static bool IsRequestTimeout(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException or OperationCanceledException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What a request that did not end was waiting for: any answer at all, or the rest of a slow one.</summary>
    private string Unanswered(string where, long started, long receivedBefore)
    {
        string seconds = _options.TimeProvider.GetElapsedTime(started).TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        long received = _connections.BytesReceived - receivedBefore;
        return received == 0
            ? $"no answer from the S3 server at {_endpoint.Host} within {seconds} s (connect/request timeout) on {where}"
            : $"the S3 server at {_endpoint.Host} sent its answer too slowly: {received} bytes in {seconds} s on {where}, and the answer had not ended";
    }

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
        return new ObjectMetadata(modified, Md5FromMetadata(metadata[Md5MetadataKey]?.Trim()));
    }

    // The key goes before the query (s3://b/run/key?endpoint_override=...), as StorageUri.Join puts it; secrets are already masked.
    private string Where(string key) => $"'{StorageUriGrammar.Join(Location.ToString(), key)}'";

    private static string? Md5FromETag(string? etag)
    {
        string? value = etag?.Trim('"');
        return value is { Length: 32 } && value.All(char.IsAsciiHexDigit) ? value.ToLowerInvariant() : null;
    }

    /// <summary>
    /// Keeps the GetObject response alive while its body is read; a failed read (a body cut short) is a classified
    /// network error. The response says which MD5 the body must have, and carries the object's metadata.
    /// </summary>
    private sealed class ResponseStream(GetObjectResponse response, string where, Func<Exception, Exception> classify) : Stream, IAnnouncedContent, IObjectMetadataSource
    {
        private readonly Stream _inner = response.ResponseStream;

        public ObjectMetadata Metadata { get; } = MetadataOf(response.Metadata);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => response.ContentLength;

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public long AnnouncedLength => response.ContentLength;

        public string? ExpectedMd5(string? listedMd5)
        {
            bool etagIsMd5 = ETagIsMd5(response.ServerSideEncryptionMethod, response.ServerSideEncryptionCustomerMethod);
            return (etagIsMd5 ? Md5FromETag(response.ETag) : null)
                ?? Metadata.Md5
                ?? (etagIsMd5 && string.IsNullOrEmpty(response.ETag) ? listedMd5 : null);
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                return _inner.Read(buffer, offset, count);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or Amazon.Runtime.AmazonClientException)
            {
                throw Classify(ex);
            }
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or Amazon.Runtime.AmazonClientException)
            {
                throw Classify(ex);
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        // The SDK checks a single-part body against its ETag at the end ("Expected hash not equal to calculated hash").
        private Exception Classify(Exception ex) => ex is Amazon.Runtime.AmazonClientException && ex.Message.Contains("hash", StringComparison.OrdinalIgnoreCase)
            ? new StorageException(StorageErrorKind.Transient, $"{where}: MD5 mismatch: the bytes received do not match the ETag {response.ETag}; nothing was written.", ex)
            : classify(ex);

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
