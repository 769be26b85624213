using Amazon.Runtime;
using Amazon.S3;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Storage.Memory;
using SyncTooling.Storage.S3;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>
/// An S3 server the shared S3 suites run against (s3rver, Ceph RGW): its endpoint and test credentials, and
/// what the tests build from them. <see cref="S3Server"/> has its own copies of these members because it is
/// also compiled into the CLI and MSBuild test projects, which do not know this interface.
/// </summary>
public interface IS3TestServer
{
    /// <summary>The bucket every server creates at start.</summary>
    const string DefaultBucket = "synctooling-test";

    /// <summary>127.0.0.1:port, for <c>endpoint_override</c>.</summary>
    string Endpoint { get; }

    /// <summary>The test user's credentials.</summary>
    BasicAWSCredentials Credentials { get; }

    /// <summary>Options with the test credentials and an empty environment (nothing from the machine leaks in).</summary>
    S3StorageOptions Options => new() { Credentials = Credentials, Environment = _ => null };

    /// <summary>Backends for the engine: S3 and gs:// with the server's credentials, plus local files and memory.</summary>
    StorageRegistry Registry => new StorageRegistry()
        .Register("file", uri => new FileStorage(uri))
        .Register("memory", uri => new MemoryStorage(uri))
        .Register("s3", uri => new S3Storage(uri, Options))
        .Register("gs", uri => new S3Storage(uri, Options));

    /// <summary>An s3:// location on this server.</summary>
    string Location(string prefix, string bucket = DefaultBucket) => $"s3://{bucket}/{prefix}?endpoint_override={Endpoint}&scheme=http";

    /// <summary>
    /// A raw SDK client for planting and inspecting objects behind the library's back (plain bodies: RGW rejects
    /// the SDK's default aws-chunked uploads with trailing checksums).
    /// </summary>
    AmazonS3Client CreateClient(AWSCredentials? credentials = null) =>
        new(credentials ?? Credentials, new AmazonS3Config
        {
            ServiceURL = "http://" + Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
}
