using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Amazon.Runtime;

namespace SyncTooling.Storage.S3;

/// <summary>
/// The HTTP connections of one <see cref="S3Storage"/>: the SDK's defaults (no redirects for S3, no decompression, the
/// configured proxy and timeout) on a <see cref="SocketsHttpHandler"/> whose sockets count the bytes the server sends.
/// The count lets a timeout say which it was: a server that never answered, or one that answered too slowly (a
/// slow-loris server passes every per-read timeout while the answer never ends).
/// </summary>
internal sealed class S3Connections(TimeSpan connectTimeout) : HttpClientFactory
{
    private long _bytesReceived;

    /// <summary>Bytes received from the server on every connection so far.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        ArgumentNullException.ThrowIfNull(clientConfig);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = clientConfig.AllowAutoRedirect,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = connectTimeout,
            ConnectCallback = ConnectAsync,
        };
        if (clientConfig.MaxConnectionsPerServer is int max)
        {
            handler.MaxConnectionsPerServer = max;
        }

        if (clientConfig.GetWebProxy() is { } proxy)
        {
            proxy.Credentials = clientConfig.ProxyCredentials ?? proxy.Credentials;
            handler.Proxy = proxy;
        }

#pragma warning disable CA2000 // The HttpClient owns the handlers; the SDK disposes the client with the S3 client.
        var client = new HttpClient(new WireHandler(handler));
#pragma warning restore CA2000
        if (clientConfig.Timeout is { } timeout)
        {
            client.Timeout = timeout;
        }

        return client;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new CountingStream(new NetworkStream(socket, ownsSocket: true), this);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private void Received(int count) => Interlocked.Add(ref _bytesReceived, count);

    /// <summary>
    /// Requests with a body up to this size are sent without <c>Expect: 100-continue</c>, which the SDK puts on every
    /// PUT: the client then waits a whole round trip for the server's 100 before it sends the body. That saved the
    /// server from reading a body it refuses; for a small file the wait costs more than the body (a 20 ms round trip
    /// doubled the time of 2,000 small uploads, `bench/README.md`). Larger bodies keep it: a server that refuses a request
    /// early and closes may reset the connection while the body is still coming, and the client then sees a network
    /// error instead of the refusal. 256 KiB is what Go's HTTP server (MinIO's) reads of a body its handler left, to
    /// answer such a request cleanly.
    /// </summary>
    internal const long NoExpectContinueUpTo = 256 * 1024;

    /// <summary>
    /// Sends small bodies without <c>Expect: 100-continue</c> (<see cref="NoExpectContinueUpTo"/>), and drops a GET answer's ETag that is neither 32 hex digits nor that and <c>-N</c>: it is no MD5, and the SDK,
    /// which checks a single-part body against its ETag, would fail the download decoding it ("Parameter 'hex'").
    /// Without it the body is checked against the uploader's MD5 metadata when there is one, as for any ETag that is no MD5.
    /// </summary>
    private sealed class WireHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Headers.ExpectContinue == true && request.Content?.Headers.ContentLength is <= NoExpectContinueUpTo)
            {
                request.Headers.ExpectContinue = false;
            }

            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (request.Method == HttpMethod.Get && response.Headers.TryGetValues("ETag", out var values) && !values.All(IsMd5Shaped))
            {
                response.Headers.Remove("ETag");
            }

            return response;
        }

        internal static bool IsMd5Shaped(string etag)
        {
            string value = etag.Trim().Trim('"');
            int dash = value.IndexOf('-', StringComparison.Ordinal);
            string hex = dash < 0 ? value : value[..dash];
            string parts = dash < 0 ? "1" : value[(dash + 1)..];
            return hex.Length == 32 && hex.All(char.IsAsciiHexDigit) && parts.Length > 0 && parts.All(char.IsAsciiDigit);
        }
    }

    /// <summary>A connection's stream that reports every byte read to its owner.</summary>
    private sealed class CountingStream(Stream inner, S3Connections owner) : Stream
    {
        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => false;

        public override bool CanWrite => inner.CanWrite;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override ValueTask DisposeAsync() => inner.DisposeAsync();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(int read)
        {
            owner.Received(read);
            return read;
        }
    }
}
