using System.Runtime.CompilerServices;
using SyncTooling.Storage;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>
/// Wraps a backend and lets a test rewrite its listing (reorder it, fail it midway, hold it until a write is seen),
/// to test what the engine's streaming merge does with it. Counts writes and deletes.
/// </summary>
public sealed class ScriptedListingStorage(IStorage inner, Func<IAsyncEnumerable<StorageEntry>, ScriptedListingStorage, IAsyncEnumerable<StorageEntry>> script) : IStorage
{
    private readonly TaskCompletionSource _firstWrite = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _writes;
    private int _deletes;

    public StorageUri Location => inner.Location;

    public StorageCapabilities Capabilities => inner.Capabilities;

    /// <summary>Completes when the first write begins.</summary>
    public Task FirstWrite => _firstWrite.Task;

    public int Writes => Volatile.Read(ref _writes);

    public int Deletes => Volatile.Read(ref _deletes);

    /// <summary>The keys of <paramref name="listing"/> in UTF-16 ordinal order, as s3rver and other emulators list.</summary>
    public static async IAsyncEnumerable<StorageEntry> InOrdinalOrder(IAsyncEnumerable<StorageEntry> listing)
    {
        var all = new List<StorageEntry>();
        await foreach (var entry in listing)
        {
            all.Add(entry);
        }

        foreach (var entry in all.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            yield return entry;
        }
    }

    /// <summary>The keys of <paramref name="listing"/> in reverse key order.</summary>
    public static async IAsyncEnumerable<StorageEntry> Reversed(IAsyncEnumerable<StorageEntry> listing)
    {
        var all = new List<StorageEntry>();
        await foreach (var entry in listing)
        {
            all.Add(entry);
        }

        for (int i = all.Count - 1; i >= 0; i--)
        {
            yield return all[i];
        }
    }

    /// <summary>The first <paramref name="count"/> entries of <paramref name="listing"/>, then <paramref name="failure"/>.</summary>
    public static async IAsyncEnumerable<StorageEntry> FailingAfter(IAsyncEnumerable<StorageEntry> listing, int count, Exception failure)
    {
        int listed = 0;
        await foreach (var entry in listing)
        {
            if (listed++ == count)
            {
                throw failure;
            }

            yield return entry;
        }

        throw failure;
    }

    public IAsyncEnumerable<StorageEntry> ListAsync(Func<string, bool>? shouldDescend = null, CancellationToken cancellationToken = default) =>
        WithCancellation(script(inner.ListAsync(shouldDescend, cancellationToken), this), cancellationToken);

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(key, cancellationToken);

    public Task WriteAsync(string key, Stream content, long length, DateTimeOffset lastModified, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _writes);
        _firstWrite.TrySetResult();
        return inner.WriteAsync(key, content, length, lastModified, cancellationToken);
    }

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        Interlocked.Add(ref _deletes, keys.Count);
        return inner.DeleteAsync(keys, cancellationToken);
    }

    public Task DeleteAllAsync(CancellationToken cancellationToken = default) => inner.DeleteAllAsync(cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static async IAsyncEnumerable<StorageEntry> WithCancellation(IAsyncEnumerable<StorageEntry> listing, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entry in listing.WithCancellation(cancellationToken))
        {
            yield return entry;
        }
    }
}
