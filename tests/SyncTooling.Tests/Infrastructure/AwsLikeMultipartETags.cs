using System.Runtime.CompilerServices;
using SyncTooling.Storage;
using SyncTooling.Storage.S3;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>
/// A real <see cref="S3Storage"/> whose listing shows objects above <paramref name="threshold"/> bytes the way AWS
/// lists multipart objects (an ETag "…-N" that is no MD5): s3rver gives multipart objects a plain MD5 ETag, so
/// without this the engine would never need the stored <c>md5chksum</c>. Every request still goes to s3rver.
/// </summary>
public sealed class AwsLikeMultipartETags(S3Storage inner, long threshold) : IStorage, IObjectMetadataStorage
{
    public StorageUri Location => inner.Location;

    public StorageCapabilities Capabilities => inner.Capabilities;

    public async IAsyncEnumerable<StorageEntry> ListAsync(Func<string, bool>? shouldDescend = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var entry in inner.ListAsync(shouldDescend, cancellationToken))
        {
            yield return entry.Size > threshold ? entry with { Md5 = null, ETag = $"\"{entry.Md5}-2\"" } : entry;
        }
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(key, cancellationToken);

    public Task WriteAsync(string key, Stream content, long length, DateTimeOffset lastModified, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(key, content, length, lastModified, cancellationToken);

    public Task WriteAsync(string key, Stream content, long length, UnixTime sourceModified, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(key, content, length, sourceModified, cancellationToken);

    public Task<ObjectMetadata> ReadMetadataAsync(string key, CancellationToken cancellationToken = default) => inner.ReadMetadataAsync(key, cancellationToken);

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) => inner.DeleteAsync(keys, cancellationToken);

    public Task DeleteAllAsync(CancellationToken cancellationToken = default) => inner.DeleteAllAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
