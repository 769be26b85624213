using SyncTooling.Storage;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>Wraps a backend and injects failures into reads, to test what the engine does with them.</summary>
public sealed class FaultyStorage(IStorage inner, Func<string, int, Exception?> readFault) : IStorage
{
    private readonly Dictionary<string, int> _reads = new(StringComparer.Ordinal);

    public StorageUri Location => inner.Location;

    public StorageCapabilities Capabilities => inner.Capabilities;

    public int ReadsOf(string key)
    {
        lock (_reads)
        {
            return _reads.GetValueOrDefault(key);
        }
    }

    public IAsyncEnumerable<StorageEntry> ListAsync(Func<string, bool>? shouldDescend = null, CancellationToken cancellationToken = default) =>
        inner.ListAsync(shouldDescend, cancellationToken);

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        int attempt;
        lock (_reads)
        {
            attempt = _reads[key] = _reads.GetValueOrDefault(key) + 1;
        }

        var stream = await inner.OpenReadAsync(key, cancellationToken);
        var fault = readFault(key, attempt);
        return fault is null ? stream : new BreakingStream(stream, fault);
    }

    public Task WriteAsync(string key, Stream content, long length, DateTimeOffset lastModified, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(key, content, length, lastModified, cancellationToken);

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) => inner.DeleteAsync(keys, cancellationToken);

    public Task DeleteAllAsync(CancellationToken cancellationToken = default) => inner.DeleteAllAsync(cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Returns the first half of the inner stream's first read, then throws the fault.</summary>
    private sealed class BreakingStream(Stream inner, Exception fault) : Stream
    {
        private bool _gaveSome;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_gaveSome)
            {
                throw fault;
            }

            _gaveSome = true;
            return inner.Read(buffer, offset, Math.Max(1, count / 2));
        }

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
}
