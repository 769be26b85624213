using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using SyncTooling.Sync;
using SyncTooling.Validation;

namespace SyncTooling.Storage.Azure;

/// <summary>
/// Azure Blob Storage: <c>az://container/prefix</c>, and adlfs's <c>abfs[s]://container@account.dfs.core.windows.net/prefix</c>
/// (through the Blob API, so a hierarchical-namespace account is used as flat blobs). Listings are flat (size, time and
/// the blob's Content-MD5); files above <see cref="AzureBlobStorageOptions.BlockUploadThreshold"/> go up as staged
/// blocks in parallel, with memory bounded by block size x blocks in flight, and are committed at once with one block
/// list. Every request that carries data carries a transactional MD5, so the service verifies the bytes. Transient
/// failures are retried per request with <see cref="RetryPolicy"/>.
/// </summary>
public sealed partial class AzureBlobStorage : IStorage, IObjectMetadataStorage
{
    /// <summary>
    /// Blob metadata with the source's modification time, as rclone's Azure Blob backend writes and reads it: RFC 3339 in
    /// UTC to the nanosecond (<c>2012-11-27T18:15:05.123456789Z</c>). Decimal Unix seconds, which versions of this library
    /// before it wrote, still read.
    /// </summary>
    public const string MtimeMetadataKey = "mtime";

    private readonly AzureBlobStorageOptions _options;
    private readonly AzureEndpoint _endpoint;
    private readonly RetryPolicy _retry;
    private readonly PartUploader _blocks;
    private readonly ByteBudget _smallBuffers;

    /// <summary>Opens <c>az://container/prefix</c>, <c>abfs://...</c> or <c>abfss://...</c>.</summary>
    /// <exception cref="ArgumentException">The location is not an Azure location.</exception>
    /// <exception cref="StorageException">No storage account or no usable credential could be found (<see cref="StorageErrorKind.AccessDenied"/>).</exception>
    public AzureBlobStorage(StorageUri location, AzureBlobStorageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (!StorageUriGrammar.IsAzureScheme(location.Scheme))
        {
            throw new ArgumentException($"AzureBlobStorage needs an az://, abfs:// or abfss:// location, not '{location}'.", nameof(location));
        }

        _options = options ?? new AzureBlobStorageOptions();
        _options.Validate();
        Location = location;
        _endpoint = AzureEndpoint.Resolve(location, _options);
        _retry = new RetryPolicy(_options.Retries, timeProvider: _options.TimeProvider);
        _blocks = new PartUploader(_options.BlockSize, _options.BlocksInFlight, PartLimits.AzureBlockBlob);
        _smallBuffers = ByteBudget.ForSmallUploads(_options.BlockUploadThreshold);
        Capabilities = new StorageCapabilities(
            PreservesModificationTime: false,
            ModificationTimePrecision: TimeSpan.FromSeconds(1),
            HasDirectories: false,
            MaxDeleteBatch: 256);
    }

    /// <inheritdoc />
    public StorageUri Location { get; }

    /// <inheritdoc />
    public StorageCapabilities Capabilities { get; }

    /// <inheritdoc />
    public async IAsyncEnumerable<StorageEntry> ListAsync(Func<string, bool>? shouldDescend = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var blob in ListBlobsAsync(cancellationToken).ConfigureAwait(false))
        {
            string key = blob.Name[_endpoint.KeyPrefix.Length..];
            if (key.Length > 0)
            {
                var properties = blob.Properties;
                string? md5 = properties.ContentHash is { Length: 16 } hash ? Convert.ToHexStringLower(hash) : null;
                yield return new StorageEntry(key, properties.ContentLength ?? 0, properties.LastModified ?? DateTimeOffset.UnixEpoch, md5) { ETag = properties.ETag?.ToString() };
            }
        }
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        StorageKey.Validate(key);
        var blob = _endpoint.Client.GetBlobClient(_endpoint.KeyPrefix + key);
        var response = await CallAsync(ct => blob.DownloadStreamingAsync(cancellationToken: ct), Where(key), cancellationToken).ConfigureAwait(false);
        return new MetadataStream(response.Value.Content, MetadataOf(response.Value.Details.Metadata, response.Value.Details.BlobContentHash));
    }

    /// <inheritdoc />
    public async Task<ObjectMetadata> ReadMetadataAsync(string key, CancellationToken cancellationToken = default)
    {
        StorageKey.Validate(key);
        var blob = _endpoint.Client.GetBlobClient(_endpoint.KeyPrefix + key);
        var properties = await CallAsync(ct => blob.GetPropertiesAsync(cancellationToken: ct), Where(key), cancellationToken).ConfigureAwait(false);
        return MetadataOf(properties.Value.Metadata, properties.Value.ContentHash);
    }

    /// <inheritdoc />
    public Task WriteAsync(string key, Stream content, long length, DateTimeOffset lastModified, CancellationToken cancellationToken = default) =>
        WriteAsync(key, content, length, UnixTime.From(lastModified), cancellationToken);

    /// <inheritdoc />
    public async Task WriteAsync(string key, Stream content, long length, UnixTime lastModified, CancellationToken cancellationToken = default)
    {
        StorageKey.Validate(key);
        ArgumentNullException.ThrowIfNull(content);
        var blob = _endpoint.Client.GetBlockBlobClient(_endpoint.KeyPrefix + key);
        if (length > _options.BlockUploadThreshold)
        {
            await UploadInBlocksAsync(blob, content, length, Where(key), lastModified, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Small files are buffered whole: one Put Blob that can be retried and carries its MD5 without a second read.
        // The buffers of all transfers share one budget, so memory does not grow with --transfers.
        using var held = await _smallBuffers.AcquireAsync(length, cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream(length is > 0 and < int.MaxValue ? (int)length : 0);
        await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        byte[] data = buffer.GetBuffer();
        int count = (int)buffer.Length;
        byte[] md5 = Md5Of(new ArraySegment<byte>(data, 0, count));
        await CallAsync(
            ct => blob.UploadAsync(
                new MemoryStream(data, 0, count, writable: false),
                new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentHash = md5 },
                    Metadata = MetadataFor(lastModified),
                    // The SDK hashes the request body itself here (it refuses a precalculated hash on this call).
                    TransferValidation = new UploadTransferValidationOptions { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5 },
                },
                ct),
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

        await DeleteRawAsync(keys.Select(k => _endpoint.KeyPrefix + k).ToList(), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteAllAsync(CancellationToken cancellationToken = default)
    {
        // Raw names, so folder markers and names this library refuses to download are removed too.
        var names = new List<string>();
        try
        {
            await foreach (var blob in ListBlobsAsync(cancellationToken).ConfigureAwait(false))
            {
                names.Add(blob.Name);
            }
        }
        catch (StorageException ex) when (ex.Kind == StorageErrorKind.NotFound)
        {
            return;
        }

        await DeleteRawAsync(names, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _blocks.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Every blob below the prefix, page by page (flat List Blobs), each page retried on its own.</summary>
    private async IAsyncEnumerable<BlobItem> ListBlobsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            string? continuation = token;
            var page = await CallAsync(
                async ct =>
                {
                    var pages = _endpoint.Client.GetBlobsAsync(BlobTraits.None, BlobStates.None, _endpoint.KeyPrefix, ct).AsPages(continuation, 5000);
                    var pageEnumerator = pages.GetAsyncEnumerator(ct);
                    await using (pageEnumerator.ConfigureAwait(false))
                    {
                        return await pageEnumerator.MoveNextAsync().ConfigureAwait(false) ? pageEnumerator.Current : null;
                    }
                },
                "listing",
                cancellationToken).ConfigureAwait(false);
            if (page is null)
            {
                yield break;
            }

            foreach (var blob in page.Values)
            {
                yield return blob;
            }

            token = string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken;
        }
        while (token is not null);
    }

    // The Blob service has no multi-object delete without the batch package: a few deletes at once instead.
    private Task DeleteRawAsync(IReadOnlyList<string> names, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            names,
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (name, ct) => await CallAsync(
                c => _endpoint.Client.GetBlobClient(name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: c),
                "delete",
                ct).ConfigureAwait(false));

    private Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> request, string where, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(
            async ct =>
            {
                try
                {
                    return await request(ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (AzureErrors.Classify(ex, _endpoint, where, ct) is { } classified && !ReferenceEquals(classified, ex))
                {
                    throw classified;
                }
            },
            cancellationToken);

    private static Dictionary<string, string> MetadataFor(UnixTime lastModified) => new(StringComparer.Ordinal)
    {
        [MtimeMetadataKey] = lastModified.ToRfc3339String(),
    };

    /// <summary>The source time in <c>mtime</c> (rclone's RFC 3339, or the decimal seconds older versions wrote; anything else is absent) and the blob's Content-MD5.</summary>
    internal static ObjectMetadata MetadataOf(IDictionary<string, string>? metadata, byte[]? contentHash)
    {
        string? text = null;
        foreach (var (name, value) in metadata ?? new Dictionary<string, string>())
        {
            // Azure returns metadata names as they were written; rclone and this library write them lower-case.
            if (string.Equals(name, MtimeMetadataKey, StringComparison.OrdinalIgnoreCase))
            {
                text = value?.Trim();
            }
        }

        UnixTime? modified = UnixTime.TryParseRfc3339(text, out var rfc) ? rfc : UnixTime.TryParseMetadata(text, out var seconds) ? seconds : null;
        return new ObjectMetadata(modified, contentHash is { Length: 16 } ? Convert.ToHexStringLower(contentHash) : null);
    }

    /// <summary>A download's body, carrying the metadata its response returned (so restoring the source's time needs no HEAD).</summary>
    private sealed class MetadataStream(Stream inner, ObjectMetadata metadata) : Stream, IObjectMetadataSource
    {
        public ObjectMetadata Metadata => metadata;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

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
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private static UploadTransferValidationOptions TransactionalMd5(byte[] md5) =>
        new() { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5, PrecalculatedChecksum = md5 };

#pragma warning disable CA5351 // Content-MD5 is what Azure verifies uploads with and lists; it detects corruption, it protects nothing.
    private static byte[] Md5Of(ArraySegment<byte> data) => MD5.HashData(data);
#pragma warning restore CA5351

    // The key goes before the query options, and secrets never show: 'az://container/prefix/key'.
    private string Where(string key) => $"'{Location.Scheme}://{Location.Authority}/{_endpoint.KeyPrefix}{key}'";
}
