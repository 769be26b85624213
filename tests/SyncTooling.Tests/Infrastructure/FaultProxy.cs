using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>What the proxy does to one request.</summary>
public enum Fault
{
    None,

    /// <summary>Reads the request head, then resets the connection (RST) without forwarding.</summary>
    Reset,

    /// <summary>Reads the request and never answers (until the client gives up or the proxy is disposed).</summary>
    Stall,

    /// <summary>Forwards the request, passes on part of the response, then resets the connection.</summary>
    Truncate,

    /// <summary>Answers 500 InternalError without forwarding.</summary>
    InternalError,

    /// <summary>Answers 503 SlowDown without forwarding.</summary>
    SlowDown,
}

/// <summary>
/// A TCP proxy on 127.0.0.1 between an S3 client and s3rver that injects faults into a share of requests.
/// It adds <c>Connection: close</c> to every request so each connection carries exactly one request: a fault
/// decided per connection is then a fault per request. Faults come from a seeded <see cref="Random"/> in
/// accept order, so a seed always yields the same sequence of faults (which request meets which depends on
/// the client's scheduling). Stalls last at most <see cref="MaxStall"/>, so nothing outlives a test.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private static readonly TimeSpan MaxStall = TimeSpan.FromSeconds(60);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _upstream;
    private readonly Func<(Fault Fault, int Cut)> _choose;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly List<Task> _connections = [];
    private readonly int[] _counts = new int[Enum.GetValues<Fault>().Length];
    private readonly ConcurrentQueue<string> _requestLines = new();
    private readonly int _bytesPerSecond;
    private long _bytesToClients;

    private FaultProxy(int upstreamPort, Func<(Fault Fault, int Cut)> choose, int bytesPerSecond = 0)
    {
        _upstream = new IPEndPoint(IPAddress.Loopback, upstreamPort);
        _choose = choose;
        _bytesPerSecond = bytesPerSecond;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Requests seen, by fault applied.</summary>
    public int Count(Fault fault) => Volatile.Read(ref _counts[(int)fault]);

    public int Total => _counts.Sum();

    /// <summary>The request line (<c>GET /bucket/key?query HTTP/1.1</c>) of every request seen, in arrival order.</summary>
    public IReadOnlyList<string> RequestLines => [.. _requestLines];

    /// <summary>Bytes of the server's answers (heads and bodies) passed on to clients so far.</summary>
    public long BytesToClients => Interlocked.Read(ref _bytesToClients);

    /// <summary>Forgets the request lines seen so far.</summary>
    public void ClearRequestLines() => _requestLines.Clear();

    /// <summary>Every request passes, and is recorded in <see cref="RequestLines"/>: a request counter.</summary>
    public static FaultProxy PassThrough(int upstreamPort) => Always(upstreamPort, Fault.None);

    /// <summary>As <see cref="PassThrough"/>, each answer passed on at about <paramref name="bytesPerSecond"/>: a slow link, on which a test can catch a transfer midway.</summary>
    public static FaultProxy Paced(int upstreamPort, int bytesPerSecond) => new(upstreamPort, () => (Fault.None, 0), bytesPerSecond);

    /// <summary>Each request meets a fault with the given share each (the rest pass), drawn from <paramref name="seed"/>.</summary>
    public static FaultProxy Random(int upstreamPort, int seed, double reset, double stall, double truncate, double internalError, double slowDown)
    {
        var random = new Random(seed);
        var gate = new object();
        (Fault Fault, double Share)[] table = [(Fault.Reset, reset), (Fault.Stall, stall), (Fault.Truncate, truncate), (Fault.InternalError, internalError), (Fault.SlowDown, slowDown)];
        return new FaultProxy(upstreamPort, () =>
        {
            double roll;
            int cut;
            lock (gate)
            {
#pragma warning disable CA5394 // Deterministic faults need a seeded, non-cryptographic generator.
                roll = random.NextDouble();

                // Half the cuts land in the status line or headers, half in the body.
                cut = random.Next(2) == 0 ? random.Next(1, 300) : random.Next(300, 256 * 1024);
#pragma warning restore CA5394
            }

            foreach (var (fault, share) in table)
            {
                if (roll < share)
                {
                    return (fault, cut);
                }

                roll -= share;
            }

            return (Fault.None, 0);
        });
    }

    /// <summary>Every request meets <paramref name="fault"/>: an endpoint that is broken for good.</summary>
    public static FaultProxy Always(int upstreamPort, Fault fault) => new(upstreamPort, () => (fault, 100));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Task[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }

        await Task.WhenAll(open);
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

            var (fault, cut) = _choose();
            Interlocked.Increment(ref _counts[(int)fault]);
            var connection = HandleAsync(client, fault, cut);
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(connection);
            }
        }
    }

    private async Task HandleAsync(TcpClient client, Fault fault, int cut)
    {
        await Task.Yield();
        using (client)
        {
            try
            {
                await ServeAsync(client, fault, cut, _stop.Token);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client or server went away mid-request: that is what this proxy is for.
            }
        }
    }

    private async Task ServeAsync(TcpClient client, Fault fault, int cut, CancellationToken stop)
    {
        var downstream = client.GetStream();
        var (head, body) = await ReadHeadAsync(downstream, stop);
        if (head is null)
        {
            return;
        }

        string headText = Encoding.Latin1.GetString(head);
        _requestLines.Enqueue(headText[..Math.Max(0, headText.IndexOf("\r\n", StringComparison.Ordinal))]);

        switch (fault)
        {
            case Fault.Reset:
                Reset(client);
                return;
            case Fault.Stall:
                using (var stall = CancellationTokenSource.CreateLinkedTokenSource(stop))
                {
                    stall.CancelAfter(MaxStall);

                    // Drain what the client sends, answer nothing; ends when the client hangs up.
                    byte[] sink = new byte[64 * 1024];
                    while (await downstream.ReadAsync(sink, stall.Token) > 0)
                    {
                    }
                }

                return;
            case Fault.InternalError:
                await AnswerAsync(client, 500, "Internal Server Error", "InternalError", "We encountered an internal error. Please try again.", stop);
                return;
            case Fault.SlowDown:
                await AnswerAsync(client, 503, "Slow Down", "SlowDown", "Please reduce your request rate.", stop);
                return;
        }

        using var server = new TcpClient();
        await server.ConnectAsync(_upstream, stop);
        var upstream = server.GetStream();
        await upstream.WriteAsync(WithConnectionClose(head), stop);
        await upstream.WriteAsync(body, stop);
        var up = PumpAsync(downstream, upstream, long.MaxValue, stop);
        if (fault == Fault.Truncate)
        {
            // The server has done the work; the client sees part of the answer, then a reset: a retry must cope
            // with a request that already took effect, and a download with a body that stops short.
            await PumpAsync(upstream, downstream, cut, stop);
            Reset(client);
            return;
        }

        await PumpAsync(upstream, downstream, long.MaxValue, stop, PassedOnAsync);
        client.Client.Shutdown(SocketShutdown.Send);
        await Task.WhenAny(up, Task.Delay(TimeSpan.FromSeconds(5), stop));
    }

    private static async Task<(byte[]? Head, byte[] Body)> ReadHeadAsync(NetworkStream stream, CancellationToken stop)
    {
        var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        while (buffer.Length < 1024 * 1024)
        {
            int read = await stream.ReadAsync(chunk, stop);
            if (read == 0)
            {
                return (null, []);
            }

            buffer.Write(chunk, 0, read);
            byte[] all = buffer.ToArray();
            int end = all.AsSpan().IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                return (all[..(end + 4)], all[(end + 4)..]);
            }
        }

        return (null, []);
    }

    private static byte[] WithConnectionClose(byte[] head)
    {
        var lines = Encoding.Latin1.GetString(head).Split("\r\n")
            .Where(l => !l.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase))
            .ToList();
        lines.Insert(1, "Connection: close");
        return Encoding.Latin1.GetBytes(string.Join("\r\n", lines));
    }

    private async Task PassedOnAsync(int count, CancellationToken stop)
    {
        Interlocked.Add(ref _bytesToClients, count);
        if (_bytesPerSecond > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds((double)count / _bytesPerSecond), stop);
        }
    }

    private static async Task PumpAsync(Stream from, Stream to, long limit, CancellationToken stop, Func<int, CancellationToken, Task>? passedOn = null)
    {
        byte[] buffer = new byte[64 * 1024];
        long copied = 0;
        while (copied < limit)
        {
            int read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit - copied)), stop);
            if (read == 0)
            {
                return;
            }

            await to.WriteAsync(buffer.AsMemory(0, read), stop);
            copied += read;
            if (passedOn is not null)
            {
                await passedOn(read, stop);
            }
        }
    }

    private static async Task AnswerAsync(TcpClient client, int status, string reason, string code, string message, CancellationToken stop)
    {
        string body = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><RequestId>fault-proxy</RequestId></Error>";
        string response = $"HTTP/1.1 {status} {reason}\r\nContent-Type: application/xml\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(response), stop);
        client.Client.Shutdown(SocketShutdown.Send);

        // Read the body the client may still be sending, so closing does not turn the answer into a reset.
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(stop);
        drain.CancelAfter(TimeSpan.FromSeconds(5));
        await PumpAsync(stream, Stream.Null, long.MaxValue, drain.Token);
    }

    private static void Reset(TcpClient client)
    {
        // Linger 0 makes Close send RST instead of FIN: a connection reset as the client sees it.
        client.Client.LingerState = new LingerOption(true, 0);
        client.Client.Close();
    }
}
