using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Storage.S3;
using SyncTooling.Sync;
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

    [Collection("ceph-rgw")]
    public sealed class FromCephRgw(CephRgw rgw) : IDisposable
    {
        private readonly TempDirectory _temp = new();

        public void Dispose() => _temp.Dispose();

        [Fact]
        public async Task QuotaExceeded_FailsTheFile_NamingTheQuota_NotTheCredentials()
        {
            var user = await QuotaUserAsync(maxBytes: 16 * 1024);
            _temp.Write("src/small.txt", "fits");
            _temp.Write("src/big.bin", new string('q', 64 * 1024));
            var engine = new SyncEngine(new StorageRegistry().Register("file", uri => new FileStorage(uri)).Register("s3", uri => new S3Storage(uri, user.Options)));
            string remote = ((IS3TestServer)rgw).Location("run", user.Bucket);

            var result = await engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote));

            Assert.Equal(["small.txt"], result.Transferred);
            var failure = Assert.Single(result.Failures);
            Assert.Equal("big.bin", failure.Key);
            Assert.Equal(
                $"The storage quota is exceeded (QuotaExceeded) writing 's3://{user.Bucket}/run/big.bin?endpoint_override={rgw.Endpoint}&scheme=http': free space or have the quota of the user or bucket '{user.Bucket}' raised; retrying will not help.",
                failure.Message);
            Assert.DoesNotContain("credentials", failure.Message, StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public async Task QuotaExceeded_IsNotRetried()
        {
            var user = await QuotaUserAsync(maxBytes: 1024);
            await using var proxy = FaultProxy.Always(rgw.Port, Fault.None); // passes every request on, and counts them
            await using var storage = new S3Storage(StorageUri.Parse($"s3://{user.Bucket}/run?endpoint_override={proxy.Endpoint}&scheme=http"), user.Options with { Retries = 4 });

            var ex = await Assert.ThrowsAsync<StorageException>(() => storage.WriteAsync("big.bin", new MemoryStream(new byte[4096]), 4096, DateTimeOffset.UtcNow));

            Assert.Equal(StorageErrorKind.Permanent, ex.Kind);
            Assert.Contains("(QuotaExceeded)", ex.Message, StringComparison.Ordinal);
            Assert.Equal(1, proxy.Total);
        }

        [Fact]
        public async Task WrongSecret_IsCaughtByTheSignatureCheck_AndNamesTheSecret()
        {
            var options = new S3StorageOptions { Credentials = new BasicAWSCredentials(CephRgw.AccessKey, "WrongSecret-NotShown-123"), Environment = _ => null, Retries = 0 };

            var ex = await ListFailsAsync(((IS3TestServer)rgw).Location("run"), options);

            Assert.Equal(StorageErrorKind.AccessDenied, ex.Kind);
            Assert.Equal("The request signature does not match (SignatureDoesNotMatch) for bucket 'synctooling-test': check the secret access key, the region and the endpoint.", ex.Message);
            Assert.DoesNotContain("WrongSecret-NotShown-123", ex.ToString(), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(true, "The server does not know the access key id (InvalidAccessKeyId) for bucket 'synctooling-test': check GS_ACCESS_KEY_ID, and the endpoint.")]
        [InlineData(false, "The request signature does not match (SignatureDoesNotMatch) for bucket 'synctooling-test': check GS_SECRET_ACCESS_KEY, the region and the endpoint.")]
        public async Task WrongGsKeys_NameTheGsVariables(bool wrongKeyId, string expected)
        {
            var env = new Dictionary<string, string>
            {
                ["GS_ACCESS_KEY_ID"] = wrongKeyId ? "NOSUCHKEYID" : CephRgw.AccessKey,
                ["GS_SECRET_ACCESS_KEY"] = "WrongSecret-NotShown-123",
            };
            string location = $"gs://{IS3TestServer.DefaultBucket}/run?endpoint_override={rgw.Endpoint}&scheme=http&force_path_style=true";

            var ex = await ListFailsAsync(location, new S3StorageOptions { Environment = name => env.GetValueOrDefault(name), Retries = 0 });

            Assert.Equal(StorageErrorKind.AccessDenied, ex.Kind);
            Assert.Equal(expected, ex.Message);
            Assert.DoesNotContain("WrongSecret-NotShown-123", ex.ToString(), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(100)]
        [InlineData(20 * 1024 * 1024)] // in parts
        public async Task AwsChunkedUpload_IsRejected_WithAHintToLeaveTheCompatibleDefault(int size)
        {
            IS3TestServer server = rgw;
            string location = server.Location($"chunked/{Guid.NewGuid():N}") + "&request_checksum_calculation=when_supported";
            await using var storage = new S3Storage(StorageUri.Parse(location), server.Options with { Retries = 0 });

            var ex = await Assert.ThrowsAsync<StorageException>(() => storage.WriteAsync("x.bin", new MemoryStream(new byte[size]), size, DateTimeOffset.UtcNow));
            var left = await storage.ListAsync().ToListAsync();

            Assert.StartsWith("The server rejected the upload's checksum (XAmzContentSHA256Mismatch) on 's3://synctooling-test/chunked/", ex.Message, StringComparison.Ordinal);
            Assert.EndsWith(": this S3-compatible server does not take the SDK's aws-chunked uploads with trailing checksums; leave request_checksum_calculation and AWS_REQUEST_CHECKSUM_CALCULATION unset (custom endpoints default to when_required).", ex.Message, StringComparison.Ordinal);
            Assert.Empty(left);
        }

        /// <summary>A fresh user whose quota is <paramref name="maxBytes"/>, with a bucket of its own.</summary>
        private async Task<(S3StorageOptions Options, string Bucket)> QuotaUserAsync(long maxBytes)
        {
            string id = Guid.NewGuid().ToString("N")[..12];
            string uid = "quota-" + id;
            var credentials = new BasicAWSCredentials("QUOTA" + id.ToUpperInvariant(), "quota-secret-" + id);
            await rgw.CreateUserAsync(uid, credentials.GetCredentials().AccessKey, credentials.GetCredentials().SecretKey);
            await rgw.AdminAsync("quota", "set", "--quota-scope=user", "--uid=" + uid, "--max-size=" + maxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await rgw.AdminAsync("quota", "enable", "--quota-scope=user", "--uid=" + uid);
            string bucket = "quota-" + id;
            using var client = ((IS3TestServer)rgw).CreateClient(credentials);
            await client.PutBucketAsync(bucket);
            return (new S3StorageOptions { Credentials = credentials, Environment = _ => null }, bucket);
        }
    }
}
