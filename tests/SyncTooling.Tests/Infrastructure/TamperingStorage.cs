using System.Collections.Concurrent;
using SyncTooling.Storage;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>Where a destination stands in reading the content it was given: the attempt at the key, the pass (a rewind starts a new one) and the bytes read in it.</summary>
public sealed record TamperPoint(string Key, int Attempt, int Pass, long Position);

/// <summary>
/// Wraps a destination backend so a test can act at an exact point of a transfer: after every read of the content
/// the destination is given, <paramref name="onRead"/> runs on the reading thread, before the destination sees
/// the bytes (e.g. to change the source file mid-read, deterministically).
/// </summary>
public sealed class TamperingStorage(IStorage inner, Action<TamperPoint> onRead) : IStorage
{
    private readonly ConcurrentDictionary<string, int> _writes = new(StringComparer.Ordinal);

    public StorageUri Location => inner.Location;

    public StorageCapabilities Capabilities => inner.Capabilities;

    public IAsyncEnumerable<StorageEntry> ListAsync(Func<string, bool>? shouldDescend = null, CancellationToken cancellationToken = default) =>
        inner.ListAsync(shouldDescend, cancellationToken);

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(key, cancellationToken);

    public async Task WriteAsync(string key, Stream content, long length, DateTimeOffset lastModified, CancellationToken cancellationToken = default)
    {
        int attempt = _writes.AddOrUpdate(key, 1, (_, n) => n + 1);
        using var hooked = new HookedStream(content, (pass, position) => onRead(new TamperPoint(key, attempt, pass, position)));
        await inner.WriteAsync(key, hooked, length, lastModified, cancellationToken);
    }

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) => inner.DeleteAsync(keys, cancellationToken);

    public Task DeleteAllAsync(CancellationToken cancellationToken = default) => inner.DeleteAllAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private sealed class HookedStream(Stream inner, Action<int, long> afterRead) : Stream
    {
        private int _pass = 1;
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => Seek(value, SeekOrigin.Begin);
        }

        public override int Read(byte[] buffer, int offset, int count) => After(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            After(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin)
        {
            _position = inner.Seek(offset, origin);
            if (_position == 0)
            {
                _pass++;
            }

            return _position;
        }

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int After(int read)
        {
            _position += read;
            afterRead(_pass, _position);
            return read;
        }
    }
}
