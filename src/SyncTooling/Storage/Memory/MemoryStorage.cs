using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace SyncTooling.Storage.Memory;

/// <summary>
/// A process-wide in-memory object store for tests and demos: <c>memory://name/prefix</c>. It is a full
/// backend (it passes the same conformance suite as the others) and behaves like an object store: no real
/// directories, listings carry the MD5, a missing prefix lists as empty.
/// </summary>
public sealed class MemoryStorage : IStorage
{
    private static readonly ConcurrentDictionary<string, MemoryObject> Objects = new(StringComparer.Ordinal);

    private static readonly StorageCapabilities MemoryCapabilities = new(
        PreservesModificationTime: true,
        ModificationTimePrecision: TimeSpan.FromTicks(1),
        HasDirectories: false,
        MaxDeleteBatch: 1000);

    private readonly string _prefix;

    /// <summary>Opens <c>memory://name/prefix</c>.</summary>
    public MemoryStorage(StorageUri location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (location.Scheme != "memory")
        {
            throw new ArgumentException($"MemoryStorage needs a memory:// location, not '{location}'.", nameof(location));
        }

        Location = location;
        _prefix = location.Authority + "/" + (location.Path.Length > 0 ? location.Path + "/" : string.Empty);
    }

    /// <inheritdoc />
    public StorageUri Location { get; }

    /// <inheritdoc />
    public StorageCapabilities Capabilities => MemoryCapabilities;

    /// <summary>Removes every object of every memory store (tests call this to start clean).</summary>
    public static void Clear() => Objects.Clear();

    /// <inheritdoc />
    public async IAsyncEnumerable<StorageEntry> ListAsync(Func<string, bool>? shouldDescend = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();

        // In key order, as S3 lists: a sync merges it without sorting. The objects are in memory already.
        var below = Objects.Where(pair => pair.Key.StartsWith(_prefix, StringComparison.Ordinal)).ToList();
        below.Sort((a, b) => KeyOrder.CompareKeys(a.Key, b.Key));
        foreach (var pair in below)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var o = pair.Value;
            yield return new StorageEntry(pair.Key[_prefix.Length..], o.Data.Length, o.LastModified, o.Md5);
        }
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        StorageKey.Validate(key);
        cancellationToken.ThrowIfCancellationRequested();
        if (!Objects.TryGetValue(_prefix + key, out var o))
        {
            throw new StorageException(StorageErrorKind.NotFound, $"'{Location}/{key}' does not exist.");
        }

        return Task.FromResult<Stream>(new MemoryStream(o.Data, writable: false));
    }

    /// <inheritdoc />
    public async Task WriteAsync(string key, Stream content, long length, DateTimeOffset lastModified, CancellationToken cancellationToken = default)
    {
        StorageKey.Validate(key);
        ArgumentNullException.ThrowIfNull(content);
        using var buffer = new MemoryStream(length > 0 && length < int.MaxValue ? (int)length : 0);
        await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        byte[] data = buffer.ToArray();

        // The whole object appears at once: readers never see a part.
        Objects[_prefix + key] = new MemoryObject(data, lastModified, Convert.ToHexStringLower(MD5.HashData(data)));
    }

    /// <inheritdoc />
    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (string key in keys)
        {
            StorageKey.Validate(key);
        }

        foreach (string key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Objects.TryRemove(_prefix + key, out _);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteAllAsync(CancellationToken cancellationToken = default)
    {
        foreach (string key in Objects.Keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (key.StartsWith(_prefix, StringComparison.Ordinal))
            {
                Objects.TryRemove(key, out _);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed record MemoryObject(byte[] Data, DateTimeOffset LastModified, string Md5);
}
