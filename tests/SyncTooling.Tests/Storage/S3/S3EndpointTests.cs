using SyncTooling.Storage;
using SyncTooling.Storage.S3;

namespace SyncTooling.Tests.Storage.S3;

public sealed class S3EndpointTests
{
    private static S3Endpoint Resolve(string uri, Dictionary<string, string>? env = null) =>
        S3Endpoint.Resolve(StorageUri.Parse(uri), new S3StorageOptions { Environment = name => env?.GetValueOrDefault(name) });

    [Fact]
    public void Aws_KeepsTheSdkChecksums_AndVirtualHostStyle()
    {
        var e = Resolve("s3://bucket/a/b?region=eu-west-1");

        Assert.Null(e.ServiceUrl);
        Assert.False(e.Compatible);
        Assert.False(e.ForcePathStyle);
        Assert.Equal("eu-west-1", e.Region);
        Assert.Equal("a/b/", e.KeyPrefix);
    }

    [Fact]
    public void EndpointOverride_DefaultsToCompatibleMode_PathStyle_AndHttps()
    {
        var e = Resolve("s3://bucket?endpoint_override=minio.local:9000");

        Assert.Equal("https://minio.local:9000", e.ServiceUrl);
        Assert.True(e.Compatible);
        Assert.True(e.ForcePathStyle);
        Assert.Equal("us-east-1", e.Region);
        Assert.Equal(string.Empty, e.KeyPrefix);
    }

    [Fact]
    public void UriOptions_WinOverEnvironment()
    {
        var env = new Dictionary<string, string> { ["AWS_ENDPOINT_URL_S3"] = "http://env:1", ["AWS_REGION"] = "ap-south-1" };

        var e = Resolve("s3://b/p?endpoint_override=uri:2&scheme=http&region=us-west-2&force_path_style=false&request_checksum_calculation=when_supported", env);

        Assert.Equal("http://uri:2", e.ServiceUrl);
        Assert.Equal("us-west-2", e.Region);
        Assert.False(e.ForcePathStyle);
        Assert.False(e.Compatible);
    }

    [Fact]
    public void EnvironmentEndpoint_IsUsed_AndS3SpecificOneWins()
    {
        var env = new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = "http://generic:1", ["AWS_ENDPOINT_URL_S3"] = "http://s3only:2", ["AWS_REQUEST_CHECKSUM_CALCULATION"] = "WHEN_SUPPORTED" };

        var e = Resolve("s3://b/p", env);

        Assert.Equal("http://s3only:2", e.ServiceUrl);
        Assert.False(e.Compatible);
    }

    [Fact]
    public void Gcs_UsesTheXmlApi_WithHmacKeysFromTheEnvironment()
    {
        var env = new Dictionary<string, string> { ["GS_ACCESS_KEY_ID"] = "GOOG1EXAMPLE", ["GS_SECRET_ACCESS_KEY"] = "secret" };

        var e = Resolve("gs://my-bucket/x", env);

        Assert.Equal(S3Endpoint.GcsServiceUrl, e.ServiceUrl);
        Assert.True(e.IsGcs);
        Assert.True(e.Compatible);
        Assert.Equal("auto", e.Region);
        Assert.Equal("GOOG1EXAMPLE", e.Credentials!.GetCredentials().AccessKey);
    }
}
