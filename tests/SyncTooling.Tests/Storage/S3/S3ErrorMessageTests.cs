using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using SyncTooling.Storage;
using SyncTooling.Storage.S3;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Storage.S3;

/// <summary>Failures name their real cause and the endpoint, in one line; a printed location keeps its query at the end.</summary>
public sealed class S3ErrorMessageTests
{
    private static readonly S3StorageOptions NoRetries = new() { Credentials = new BasicAWSCredentials("KEY", "SECRET"), Environment = _ => null, Retries = 0 };

    private static async Task<StorageException> ListFailsAsync(string location, S3StorageOptions? options = null)
    {
        await using var storage = new S3Storage(StorageUri.Parse(location), options ?? NoRetries);
        return await Assert.ThrowsAsync<StorageException>(async () =>
        {
            await foreach (var _ in storage.ListAsync())
            {
            }
        });
    }

    public sealed class OverTheNetwork
    {
        [Fact]
        public async Task RefusedPort_NamesHostAndPort_AndThatNothingListens()
        {
            int port = FreePort();

            var ex = await ListFailsAsync($"s3://b/p?endpoint_override=127.0.0.1:{port}&scheme=http");

            Assert.Equal(StorageErrorKind.Transient, ex.Kind);
            Assert.Equal($"Network error on listing: connection refused at 127.0.0.1:{port}: nothing listens there; check the endpoint and that the server is running.", ex.Message);
        }

        [Fact]
        public async Task HttpsToAPlainHttpServer_SaysTheServerMaySpeakPlainHttp()
        {
            using var plain = new TcpListener(IPAddress.Loopback, 0);
            plain.Start();
            int port = ((IPEndPoint)plain.LocalEndpoint).Port;
            var answer = AnswerLikePlainHttpAsync(plain);

            var ex = await ListFailsAsync($"s3://b/p?endpoint_override=127.0.0.1:{port}&scheme=https");
            await answer;

            Assert.StartsWith($"Network error on listing: the TLS handshake with 127.0.0.1:{port} failed (", ex.Message, StringComparison.Ordinal);
            Assert.EndsWith("): the server may speak plain HTTP; use scheme=http or an http:// endpoint.", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task HostNameThatDoesNotResolve_SaysSo()
        {
            var ex = await ListFailsAsync("s3://b/p?endpoint_override=nonexistent.invalid:9000&scheme=http");

            Assert.Equal("Network error on listing: the host name 'nonexistent.invalid' does not resolve: check the endpoint's host name and this machine's DNS.", ex.Message);
        }

        /// <summary>What a plain HTTP server does with a TLS ClientHello: answers 400 in plain text and closes.</summary>
        private static async Task AnswerLikePlainHttpAsync(TcpListener listener)
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            _ = await stream.ReadAsync(new byte[4096]); // the ClientHello, or part of it: any bytes will do
            await stream.WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }

    [Collection("s3rver")]
    public sealed class FromTheServer(S3Server server)
    {
        [Fact]
        public async Task MissingKey_PrintsTheKeyBeforeTheQuery()
        {
            string location = server.Location("messages/run");
            await using var storage = new S3Storage(StorageUri.Parse(location), server.Options);

            var ex = await Assert.ThrowsAsync<StorageException>(() => storage.OpenReadAsync("sub/absent.txt"));

            Assert.Equal($"'s3://{S3Server.Bucket}/messages/run/sub/absent.txt?endpoint_override={server.Endpoint}&scheme=http' does not exist (NoSuchKey).", ex.Message);
        }

        [Fact]
        public async Task MissingKey_WithASecretInTheLocation_PrintsItMasked_AfterTheKey()
        {
            string location = $"s3://{S3Server.Bucket}/messages/run?endpoint_override={server.Endpoint}&scheme=http&access_key={S3Server.AccessKey}&secret_key={S3Server.SecretKey}";
            await using var storage = new S3Storage(StorageUri.Parse(location), server.Options with { Credentials = null });

            var ex = await Assert.ThrowsAsync<StorageException>(() => storage.OpenReadAsync("absent.txt"));

            Assert.StartsWith($"'s3://{S3Server.Bucket}/messages/run/absent.txt?", ex.Message, StringComparison.Ordinal);
            Assert.Contains("secret_key=***", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("secret_key=" + S3Server.SecretKey, ex.Message, StringComparison.Ordinal);
        }
    }
}
