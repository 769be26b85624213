using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security;
using System.Text;
using Amazon.Runtime;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Storage.Memory;
using SyncTooling.Storage.S3;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 that speaks just enough S3 for one misbehaviour per test: the test's
/// handler sees each parsed request and answers it however it likes, including with raw bytes on the socket
/// (one byte at a time, a body shorter than its Content-Length, a reset). Every answer carries
/// <c>Connection: close</c>, so one connection is one request. Every request is recorded. Disposing stops the
/// accept loop and cuts every open connection, so nothing outlives a test.
/// </summary>
public sealed class HostileS3Server : IAsyncDisposable
{
    public const string AccessKey = "HOSTILE";
    public const string SecretKey = "HOSTILE-SECRET";
    public const string Bucket = "hostile";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<HostileRequest, Task> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<HostileRequest> _requests = new();
    private readonly ConcurrentDictionary<Task, bool> _connections = new();
    private readonly Task _acceptLoop;

    private HostileS3Server(Func<HostileRequest, Task> handler, bool accept)
    {
        _handler = handler;
        _listener.Start(backlog: 16);
        _acceptLoop = accept ? AcceptLoopAsync() : Task.CompletedTask;
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<HostileRequest> Requests => [.. _requests];

    public S3StorageOptions Options => new() { Credentials = new BasicAWSCredentials(AccessKey, SecretKey), Environment = _ => null };

    /// <summary>Backends for the engine: S3 (here, with <paramref name="options"/> or <see cref="Options"/>), local files and memory.</summary>
    public StorageRegistry Registry(S3StorageOptions? options = null) => new StorageRegistry()
        .Register("file", uri => new FileStorage(uri))
        .Register("memory", uri => new MemoryStorage(uri))
        .Register("s3", uri => new S3Storage(uri, options ?? Options));

    /// <summary>An s3:// location on this server.</summary>
    public string Location(string prefix, string bucket = Bucket) => $"s3://{bucket}/{prefix}?endpoint_override={Endpoint}&scheme=http";

    /// <summary>
    /// An s3:// location on this server that carries its own credentials and region, for code that opens storage
    /// through <see cref="StorageRegistry.Default"/> (the tool, the MSBuild tasks): nothing is read from the environment.
    /// </summary>
    public string LocationWithCredentials(string prefix) => Location(prefix) + $"&region=us-east-1&access_key={AccessKey}&secret_key={SecretKey}";

    /// <summary>Starts a server that hands every request to <paramref name="handler"/>.</summary>
    public static HostileS3Server Start(Func<HostileRequest, Task> handler) => new(handler, accept: true);

    /// <summary>
    /// Starts a server that listens but never accepts: the kernel completes the TCP handshake (into the backlog),
    /// then nothing is ever read or answered.
    /// </summary>
    public static HostileS3Server NeverAccepting() => new(_ => Task.CompletedTask, accept: false);

    public int Count(Func<HostileRequest, bool> predicate) => _requests.Count(predicate);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(_connections.Keys).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var connection = ServeAsync(client);
            _connections[connection] = true;
            _ = connection.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            client.NoDelay = true;
            var stream = client.GetStream();
            await using var cut = _stop.Token.Register(() => client.Client.Close(0));
            try
            {
                var request = await HostileRequest.ReadAsync(client, stream, _stop.Token);
                if (request is null)
                {
                    return;
                }

                _requests.Enqueue(request);
                await _handler(request);
                await stream.FlushAsync(_stop.Token);
                client.Client.Shutdown(SocketShutdown.Send);
            }
#pragma warning disable CA1031 // A client that gave up, a reset, or the server stopping: the connection just ends.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }
}

/// <summary>One request to a <see cref="HostileS3Server"/>, and the ways to answer it.</summary>
public sealed class HostileRequest
{
    private readonly TcpClient _client;

    private HostileRequest(TcpClient client, NetworkStream stream, string method, string target, Dictionary<string, string> headers, byte[] body, CancellationToken stopping)
    {
        _client = client;
        Stream = stream;
        Method = method;
        Target = target;
        Headers = headers;
        Body = body;
        Stopping = stopping;
        int q = target.IndexOf('?', StringComparison.Ordinal);
        Path = Uri.UnescapeDataString(q < 0 ? target : target[..q]);
        Query = ParseQuery(q < 0 ? string.Empty : target[(q + 1)..]);
    }

    public string Method { get; }

    /// <summary>The request target as sent (path and query, still percent-encoded).</summary>
    public string Target { get; }

    /// <summary>The decoded path, e.g. <c>/hostile/run/a.txt</c>.</summary>
    public string Path { get; }

    /// <summary>The decoded query options; a flag without a value (<c>?uploads</c>) has an empty value.</summary>
    public IReadOnlyDictionary<string, string> Query { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    public byte[] Body { get; }

    /// <summary>The raw connection, for answers that break the protocol on purpose.</summary>
    public NetworkStream Stream { get; }

    /// <summary>Cancelled when the server is disposed.</summary>
    public CancellationToken Stopping { get; }

    /// <summary>The object key below the bucket (path style), or empty for a bucket-level request.</summary>
    public string Key
    {
        get
        {
            string path = Path.TrimStart('/');
            int slash = path.IndexOf('/', StringComparison.Ordinal);
            return slash < 0 ? string.Empty : path[(slash + 1)..];
        }
    }

    public bool IsList => Method == "GET" && Key.Length == 0 && Query.ContainsKey("list-type");

    public bool IsGet => Method == "GET" && Key.Length > 0;

    public bool IsHead => Method == "HEAD" && Key.Length > 0;

    public bool IsPut => Method == "PUT" && Key.Length > 0 && !Query.ContainsKey("partNumber");

    public bool IsUploadPart => Method == "PUT" && Query.ContainsKey("partNumber");

    public bool IsInitiateMultipart => Method == "POST" && Query.ContainsKey("uploads");

    public bool IsCompleteMultipart => Method == "POST" && Query.ContainsKey("uploadId");

    public bool IsAbortMultipart => Method == "DELETE" && Query.ContainsKey("uploadId");

    public bool IsDeleteObjects => Method == "POST" && Query.ContainsKey("delete");

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>Answers with a status, headers and a body (Content-Length set from the body unless given).</summary>
    public async Task RespondAsync(int status, byte[]? body = null, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        body ??= [];
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {Reason(status)}\r\n");
        bool hasLength = false;
        foreach (var (name, value) in headers ?? [])
        {
            hasLength |= name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase);
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        if (!hasLength)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        }

        head.Append("x-amz-request-id: hostile\r\nConnection: close\r\n\r\n");
        await WriteRawAsync(Encoding.ASCII.GetBytes(head.ToString()));
        if (Method != "HEAD")
        {
            await WriteRawAsync(body);
        }
    }

    public Task RespondXmlAsync(int status, string xml) =>
        RespondAsync(status, Encoding.UTF8.GetBytes(xml), [new("Content-Type", "application/xml")]);

    /// <summary>An S3 error document, e.g. <c>RespondErrorAsync(403, "QuotaExceeded", "...")</c>.</summary>
    public Task RespondErrorAsync(int status, string code, string message = "hostile") =>
        RespondXmlAsync(status, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{SecurityElement.Escape(message)}</Message><RequestId>hostile</RequestId></Error>");

    /// <summary>A ListObjectsV2 page: exactly the keys, truncation flag and token given, however wrong they are.</summary>
    public Task RespondListAsync(IEnumerable<ListedObject> objects, bool isTruncated = false, string? nextToken = null, string? prefix = null, string? encodingType = null)
    {
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        xml.Append(CultureInfo.InvariantCulture, $"<Name>{HostileS3Server.Bucket}</Name><Prefix>{SecurityElement.Escape(prefix ?? Query.GetValueOrDefault("prefix", string.Empty))}</Prefix>");
        if (encodingType is not null)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<EncodingType>{encodingType}</EncodingType>");
        }

        int count = 0;
        foreach (var o in objects)
        {
            count++;
            xml.Append(CultureInfo.InvariantCulture, $"<Contents><Key>{SecurityElement.Escape(o.Key)}</Key><LastModified>{o.LastModified.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}</LastModified><ETag>&quot;{o.ETag}&quot;</ETag><Size>{o.Size}</Size><StorageClass>STANDARD</StorageClass></Contents>");
        }

        xml.Append(CultureInfo.InvariantCulture, $"<KeyCount>{count}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>{(isTruncated ? "true" : "false")}</IsTruncated>");
        if (nextToken is not null)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<NextContinuationToken>{SecurityElement.Escape(nextToken)}</NextContinuationToken>");
        }

        xml.Append("</ListBucketResult>");
        return RespondXmlAsync(200, xml.ToString());
    }

    /// <summary>Writes bytes as they are, straight to the socket.</summary>
    public async Task WriteRawAsync(ReadOnlyMemory<byte> bytes)
    {
        await Stream.WriteAsync(bytes, Stopping);
        await Stream.FlushAsync(Stopping);
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> one byte every <paramref name="interval"/> (a slow-loris answer: every read
    /// succeeds quickly, the whole takes forever); stops early when the server stops.
    /// </summary>
    public async Task DribbleAsync(ReadOnlyMemory<byte> bytes, TimeSpan interval)
    {
        for (int i = 0; i < bytes.Length && !Stopping.IsCancellationRequested; i++)
        {
            await WriteRawAsync(bytes.Slice(i, 1));
            await Task.Delay(interval, Stopping);
        }
    }

    /// <summary>Resets the connection (RST) instead of answering.</summary>
    public void Reset() => _client.Client.Close(0);

    /// <summary>Holds the connection open without answering until the server stops or <paramref name="limit"/> passes.</summary>
    public async Task StallAsync(TimeSpan limit)
    {
        try
        {
            await Task.Delay(limit, Stopping);
        }
        catch (OperationCanceledException)
        {
        }
    }

    internal static async Task<HostileRequest?> ReadAsync(TcpClient client, NetworkStream stream, CancellationToken stopping)
    {
        var head = new List<byte>(1024);
        var one = new byte[1];
        while (!EndsWithBlankLine(head))
        {
            if (await stream.ReadAsync(one, stopping) == 0)
            {
                return null;
            }

            head.Add(one[0]);
            if (head.Count > 64 * 1024)
            {
                return null;
            }
        }

        string[] lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        string[] requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        if (headers.TryGetValue("Expect", out var expect) && expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase))
        {
            await stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), stopping);
        }

        byte[] body;
        if (headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = await ReadChunkedAsync(stream, stopping);
        }
        else
        {
            long length = headers.TryGetValue("Content-Length", out var cl) ? long.Parse(cl, CultureInfo.InvariantCulture) : 0;
            body = new byte[length];
            await stream.ReadExactlyAsync(body, stopping);
        }

        return new HostileRequest(client, stream, requestLine[0], requestLine[1], headers, body, stopping);
    }

    private static async Task<byte[]> ReadChunkedAsync(NetworkStream stream, CancellationToken stopping)
    {
        using var body = new MemoryStream();
        while (true)
        {
            string sizeLine = await ReadLineAsync(stream, stopping);
            int size = int.Parse(sizeLine.Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                while ((await ReadLineAsync(stream, stopping)).Length > 0)
                {
                }

                return body.ToArray();
            }

            var chunk = new byte[size];
            await stream.ReadExactlyAsync(chunk, stopping);
            body.Write(chunk);
            await ReadLineAsync(stream, stopping);
        }
    }

    private static async Task<string> ReadLineAsync(NetworkStream stream, CancellationToken stopping)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one, stopping) == 1)
        {
            if (one[0] == '\n')
            {
                break;
            }

            if (one[0] != '\r')
            {
                line.Add(one[0]);
            }
        }

        return Encoding.ASCII.GetString([.. line]);
    }

    private static bool EndsWithBlankLine(List<byte> head) =>
        head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n';

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            result[Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq])] = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
        }

        return result;
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        204 => "No Content",
        206 => "Partial Content",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
}

/// <summary>One object as a hostile listing presents it.</summary>
public sealed record ListedObject(string Key, long Size, string ETag, DateTimeOffset LastModified)
{
    public static ListedObject Of(string key, byte[] content, DateTimeOffset? lastModified = null) =>
#pragma warning disable CA5351 // S3 ETags are MD5s.
        new(key, content.Length, Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(content)), lastModified ?? DateTimeOffset.UtcNow.AddMinutes(-5));
#pragma warning restore CA5351
}
