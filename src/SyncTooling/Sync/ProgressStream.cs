namespace SyncTooling.Sync;

/// <summary>
/// A read-only pass-through that counts bytes for progress. Bytes of an attempt that fails are taken back,
/// so retries do not inflate the totals. It is seekable when the inner stream is (S3 hashes a large file
/// before uploading it); bytes are counted once, by the furthest position read.
/// </summary>
internal sealed class ProgressStream(Stream inner, ProgressTracker tracker) : Stream
{
    private long _counted;
    private long _position;
    private bool _committed;

    public override bool CanRead => true;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => _position = inner.Position = value;
    }

    public void Commit() => _committed = true;

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => _position = inner.Seek(offset, origin);

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_committed && _counted > 0)
        {
            tracker.AddBytes(-_counted);
        }

        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        _position += read;
        if (_position > _counted)
        {
            tracker.AddBytes(_position - _counted);
            _counted = _position;
        }

        return read;
    }
}
