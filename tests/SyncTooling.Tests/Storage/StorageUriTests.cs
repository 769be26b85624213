using SyncTooling.Storage;

namespace SyncTooling.Tests.Storage;

public sealed class StorageUriTests
{
    [Theory]
    [InlineData("s3://bucket/a/b?region=eu-west-1", "s3", "bucket", "a/b")]
    [InlineData("s3://bucket", "s3", "bucket", "")]
    [InlineData("gs://my-bucket/prefix/", "gs", "my-bucket", "prefix")]
    [InlineData("hdfs://namenode:9870/user/ray", "hdfs", "namenode:9870", "user/ray")]
    [InlineData("memory://demo/run", "memory", "demo", "run")]
    [InlineData("az://runs/exp/1?account=acct1", "az", "runs", "exp/1")]
    [InlineData("abfs://runs@acct1.dfs.core.windows.net/exp", "abfs", "runs@acct1.dfs.core.windows.net", "exp")]
    [InlineData("abfss://runs@acct1.dfs.core.windows.net", "abfss", "runs@acct1.dfs.core.windows.net", "")]
    public void Parse_SplitsSchemeAuthorityAndPath(string text, string scheme, string authority, string path)
    {
        var uri = StorageUri.Parse(text);

        Assert.Equal(scheme, uri.Scheme);
        Assert.Equal(authority, uri.Authority);
        Assert.Equal(path, uri.Path);
    }

    [Fact]
    public void Parse_LocalForms_ResolveToAbsolutePaths()
    {
        Assert.Equal("/tmp/x", StorageUri.Parse("/tmp/x/").Path);
        Assert.Equal("/tmp/x", StorageUri.Parse("file:///tmp/x").Path);
        Assert.Equal("/tmp/x y", StorageUri.Parse("file:///tmp/x%20y").Path);
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "rel"), StorageUri.Parse("rel").Path);
        Assert.True(StorageUri.Parse("/tmp").IsLocal);
    }

    [Fact]
    public void Parse_ReadsQueryOptions()
    {
        var uri = StorageUri.Parse("s3://b/p?endpoint_override=127.0.0.1:4568&region=us-east-1&scheme=http");

        Assert.Equal("127.0.0.1:4568", uri.GetOption("endpoint_override"));
        Assert.Equal("us-east-1", uri.GetOption("region"));
        Assert.Equal("http", uri.GetOption("scheme"));
        Assert.Null(uri.GetOption("force_path_style"));
    }

    [Theory]
    [InlineData("ftp://host/x", "unknown scheme 'ftp'")]
    [InlineData("s3://", "s3:// needs a bucket")]
    [InlineData("s3:///prefix", "s3:// needs a bucket")]
    [InlineData("hdfs:///path", "hdfs:// needs a namenode")]
    [InlineData("hdfs://nn:99999/p", "is not host:port")]
    [InlineData("S3://bucket", "schemes are lower case; write 's3://'")]
    [InlineData("s3://b/p?colour=red", "unknown option 'colour'")]
    [InlineData("s3://b/p?scheme=ftp", "option 'scheme' is http or https")]
    [InlineData("file:///tmp?x=1", "file:// takes no query options")]
    [InlineData("file://server/share", "file URIs are absolute")]
    [InlineData("s3:bucket/x", "'s3:' is not a scheme")]
    [InlineData("s3://b/a/../c", "'..' segment")]
    [InlineData("", "The storage location is empty")]
    public void Parse_Rejects_WithOneClearLine(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => StorageUri.Parse(text));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Supported: a local path, file:///path, memory://name/path, s3://bucket/prefix, gs://bucket/prefix, hdfs://host:port/path, az://container/prefix, abfs[s]://container@account.dfs.core.windows.net/prefix.", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Join_KeepsQueryAtTheEnd()
    {
        var uri = StorageUri.Parse("s3://bucket/base?endpoint_override=localhost:9000&scheme=http");

        var child = uri.Join("experiment/trial_1");

        Assert.Equal("s3://bucket/base/experiment/trial_1?endpoint_override=localhost:9000&scheme=http", child.ToString());
        Assert.Equal("base/experiment/trial_1", child.Path);
        Assert.Equal("localhost:9000", child.GetOption("endpoint_override"));
    }

    [Fact]
    public void Join_OnLocalPath_AppendsSegments()
    {
        Assert.Equal("/tmp/a/b/c", StorageUri.Parse("/tmp/a").Join("b/c").Path);
    }

    [Fact]
    public void ToString_RedactsSecrets()
    {
        var uri = StorageUri.Parse("s3://bucket/p?access_key=AKIAEXAMPLE&secret_key=sup3rs3cret&region=x");

        string shown = uri.ToString();

        Assert.DoesNotContain("sup3rs3cret", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIAEXAMPLE", shown, StringComparison.Ordinal);
        Assert.Contains("secret_key=***", shown, StringComparison.Ordinal);
        Assert.Equal("sup3rs3cret", uri.GetOption("secret_key"));
    }

    [Theory]
    [InlineData("abfss://runs@acct1.dfs.core.windows.net/exp?account_key=abc", "abfss://runs@acct1.dfs.core.windows.net/exp?account_key=***")]
    [InlineData("az://runs/exp?sas_token=sv%3D1%26sig%3Dabc", "az://runs/exp?sas_token=***")]
    public void ToString_KeepsTheAzureContainer_AndRedactsAzureSecrets(string text, string shown)
    {
        var uri = StorageUri.Parse(text);

        Assert.Equal(shown, uri.ToString());
        Assert.True(uri.IsCloud);
    }

    [Fact]
    public void ParseError_RedactsSecrets()
    {
        var ex = Assert.Throws<FormatException>(() => StorageUri.Parse("s3://b/p?secret_key=sup3rs3cret&bogus=1"));

        Assert.DoesNotContain("sup3rs3cret", ex.Message, StringComparison.Ordinal);
    }
}
