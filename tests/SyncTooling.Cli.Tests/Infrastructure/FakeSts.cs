using System.Net;
using System.Net.Sockets;
using System.Text;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests.Infrastructure;

/// <summary>An STS that answers AssumeRole and AssumeRoleWithWebIdentity (Query protocol) with s3rver's keys.</summary>
public sealed class FakeSts : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly List<(string Body, string Authorization)> _requests = [];

    private FakeSts(int port)
    {
        Endpoint = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Endpoint { get; }

    public IReadOnlyList<(string Body, string Authorization)> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>
    /// A child's environment that reads AWS profiles only from <paramref name="folder"/> (its <c>aws/config</c> and
    /// <c>aws/credentials</c>, home <c>home</c>), has no keys of its own, and sends STS requests here.
    /// </summary>
    public Dictionary<string, string> EnvironmentFor(TempDirectory folder) => new()
    {
        ["AWS_CONFIG_FILE"] = folder.Combine("aws", "config"),
        ["AWS_SHARED_CREDENTIALS_FILE"] = folder.Combine("aws", "credentials"),
        ["AWS_ACCESS_KEY_ID"] = string.Empty,
        ["AWS_SECRET_ACCESS_KEY"] = string.Empty,
        ["AWS_SESSION_TOKEN"] = string.Empty,
        ["AWS_PROFILE"] = string.Empty,
        ["AWS_REGION"] = "us-east-1",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_ENDPOINT_URL_STS"] = Endpoint,
        ["HOME"] = folder.Combine("home"),
    };

    public static FakeSts Start()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new FakeSts(port);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            string body = await reader.ReadToEndAsync().ConfigureAwait(false);
            lock (_requests)
            {
                _requests.Add((body, context.Request.Headers["Authorization"] ?? string.Empty));
            }

            string action = body.Contains("Action=AssumeRoleWithWebIdentity", StringComparison.Ordinal) ? "AssumeRoleWithWebIdentity" : "AssumeRole";
            string xml = $"""
                <{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <{action}Result>
                    <Credentials>
                      <AccessKeyId>{S3Server.AccessKey}</AccessKeyId>
                      <SecretAccessKey>{S3Server.SecretKey}</SecretAccessKey>
                      <SessionToken>session-token-from-fake-sts</SessionToken>
                      <Expiration>{DateTime.UtcNow.AddHours(1):yyyy-MM-ddTHH:mm:ssZ}</Expiration>
                    </Credentials>
                    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/sync/test</Arn><AssumedRoleId>AROAEXAMPLE:test</AssumedRoleId></AssumedRoleUser>
                  </{action}Result>
                  <ResponseMetadata><RequestId>fake-sts-1</RequestId></ResponseMetadata>
                </{action}Response>
                """;
            byte[] bytes = Encoding.UTF8.GetBytes(xml);
            context.Response.ContentType = "text/xml";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            context.Response.Close();
        }
    }
}
