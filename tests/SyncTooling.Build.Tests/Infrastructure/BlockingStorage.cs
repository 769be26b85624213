using SyncTooling.Storage;

namespace SyncTooling.Build.Tests.Infrastructure;

/// <summary>Wraps a backend so that every write waits until it is cancelled: a sync that is stuck mid-transfer.</summary>
public sealed class BlockingStorage(IStorage inner, TaskCompletionSource writeStarted) : IStorage
{
    public StorageUri Location => inner.Location;

    public StorageCapabilities Capabilities => inner.Capabilities;

    public IAsyncEnumerable<StorageEntry> ListAsync(Func<string, bool>? shouldDescend = null, CancellationToken cancellationToken = default) =>
        inner.ListAsync(shouldDescend, cancellationToken);

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(key, cancellationToken);

    public async Task WriteAsync(string key, Stream content, long length, DateTimeOffset lastModified, CancellationToken cancellationToken = default)
    {
        writeStarted.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) => inner.DeleteAsync(keys, cancellationToken);

    public Task DeleteAllAsync(CancellationToken cancellationToken = default) => inner.DeleteAllAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
