using Amazon.Runtime;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>s3rver as one of the servers the shared S3 suites run against (this project only).</summary>
public sealed partial class S3Server : IS3TestServer
{
    BasicAWSCredentials IS3TestServer.Credentials => new(AccessKey, SecretKey);

    public override string ToString() => "s3rver";
}
