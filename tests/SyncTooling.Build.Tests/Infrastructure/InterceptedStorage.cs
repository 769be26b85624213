using SyncTooling.Storage;

namespace SyncTooling.Build.Tests.Infrastructure;

/// <summary>Wraps a backend and runs a callback before each write: to block a sync mid-transfer, or to fail one file.</summary>
public sealed class InterceptedStorage(IStorage inner, Func<string, CancellationToken, Task> beforeWrite) : IStorage
{
    public StorageUri Location => inner.Location;

    public StorageCapabilities Capabilities => inner.Capabilities;

    public IAsyncEnumerable<StorageEntry> ListAsync(Func<string, bool>? shouldDescend = null, CancellationToken cancellationToken = default) =>
        inner.ListAsync(shouldDescend, cancellationToken);

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(key, cancellationToken);

    public async Task WriteAsync(string key, Stream content, long length, DateTimeOffset lastModified, CancellationToken cancellationToken = default)
    {
        await beforeWrite(key, cancellationToken);
        await inner.WriteAsync(key, content, length, lastModified, cancellationToken);
    }

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) => inner.DeleteAsync(keys, cancellationToken);

    public Task DeleteAllAsync(CancellationToken cancellationToken = default) => inner.DeleteAllAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
