using System.Security.Cryptography;
using SyncTooling.Storage;

namespace SyncTooling.Sync;

/// <summary>
/// A read-only pass-through between a source and a destination that fails the read which ends the stream when
/// the bytes are not the ones listed: fewer or more than the listed size, or another MD5 where one is known.
/// The destination commits only after reading to the end (a temp file is renamed, a PUT is sent, a multipart
/// upload is completed), so a failed check leaves nothing at the final path. Failures are transient: the next
/// attempt reads again. It is seekable when the inner stream is (S3 hashes a large file before uploading it);
/// a rewind to the start checks the next pass from scratch.
/// </summary>
/// <param name="inner">The source's stream.</param>
/// <param name="expected">What the source listing said: size and, when known, MD5 (lower-case hex).</param>
/// <param name="where">The source file, for messages.</param>
/// <param name="checkSource">
/// For a local source, a check of the file itself once it was read (or read past its size), given the bytes read;
/// it throws "changed during upload". Replaces the count check and its message.
/// </param>
internal sealed class VerifyingStream(Stream inner, StorageEntry expected, string where, Action<long>? checkSource) : Stream
{
#pragma warning disable CA5351 // MD5 is what listings and ETags carry; it detects damage, it protects nothing.
    private IncrementalHash? _md5 = expected.Md5 is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
    private long _position;
    private bool _verified;

    /// <summary>Fails before the body is read when its announced length (a Content-Length) is not the listed size.</summary>
    public static void ThrowIfAnnouncedOtherwise(long announced, long listed, string where)
    {
        if (announced != listed)
        {
            throw new StorageException(StorageErrorKind.Transient, $"{where}: the server announced {announced} bytes, the listing said {listed}; nothing was written.");
        }
    }

    public override bool CanRead => true;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read = inner.Read(buffer);
        return Check(buffer[..read], read == 0 && buffer.Length > 0);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Check(buffer.Span[..read], read == 0 && buffer.Length > 0);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        _position = inner.Seek(offset, origin);
        _verified = false;
        if (_md5 is not null)
        {
            // A pass from the start is hashed again; any other jump leaves the count check only.
            _md5.Dispose();
#pragma warning disable CA5351 // See above.
            _md5 = _position == 0 ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null;
#pragma warning restore CA5351
        }

        return _position;
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _md5?.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Check(ReadOnlySpan<byte> data, bool ended)
    {
        _position += data.Length;
        _md5?.AppendData(data);
        if ((_position > expected.Size || ended) && !_verified)
        {
            // Past the listed size the stream is wrong already: stop before copying a file that keeps growing.
            VerifyEnd();
        }

        return data.Length;
    }

    private void VerifyEnd()
    {
        if (checkSource is not null)
        {
            checkSource(_position);
        }
        else if (_position != expected.Size)
        {
            string received = _position > expected.Size ? $"at least {_position}" : _position.ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw new StorageException(StorageErrorKind.Transient, $"{where}: received {received} bytes, the listing said {expected.Size}; nothing was written.");
        }

        if (_md5 is not null && Convert.ToHexStringLower(_md5.GetHashAndReset()) is var actual && actual != expected.Md5)
        {
            string what = checkSource is null ? "MD5 mismatch" : "changed during upload: MD5 mismatch";
            throw new StorageException(StorageErrorKind.Transient, $"{where}: {what}: the bytes read have MD5 {actual}, expected {expected.Md5}; nothing was written.");
        }

        _verified = true;
    }
}
