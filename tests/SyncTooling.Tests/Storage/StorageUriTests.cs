using SyncTooling.Storage;
using SyncTooling.Validation;

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
    [InlineData("hdfs://nn:0/p", "'nn:0' is not host:port: the port is 1 to 65535, not '0'")]
    [InlineData("hdfs://nn:-1/p", "the port is 1 to 65535, not '-1'")]
    [InlineData("hdfs://nn:99999999999999999999/p", "the port is 1 to 65535, not '99999999999999999999'")]
    [InlineData("hdfs://::1:9870/p", "an IPv6 address goes in brackets: [::1]:9000")]
    [InlineData("hdfs://[::1:9870/p", "'[' opens an IPv6 address that is never closed with ']'")]
    [InlineData("hdfs://alice:pw@nn:9870/p", "credentials do not belong in the location; hdfs:// takes the user as ?user=NAME")]
    [InlineData("s3://b/p?endpoint_override=::1:9000", "option 'endpoint_override' is host[:port] or http(s)://host[:port] ([::1]:9000 for IPv6), not '::1:9000': an IPv6 address goes in brackets")]
    [InlineData("s3://b/p?endpoint_override=localhost:70000", "the port is 1 to 65535, not '70000'")]
    [InlineData("s3://b/p?endpoint_override=http://u:pw@host:9000", "not 'http://***@host:9000': credentials do not belong in the endpoint")]
    [InlineData("s3://b/p?region=%zz", "option 'region' is a name such as us-east-1 (letters, digits and '-', not at either end), not '%zz'")]
    [InlineData("s3://b/p?region=%00", "option 'region' contains a control character")]
    [InlineData("s3://b/p?region=x#y", "'#' would start a URI fragment")]
    [InlineData("s3://b/p?region=x?scheme=http", "the query has a second '?'")]
    [InlineData("file:///tmp/a%00b", "it contains a NUL character")]
    public void Parse_Rejects_WithOneClearLine(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => StorageUri.Parse(text));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Supported: a local path, file:///path, memory://name/path, s3://bucket/prefix, gs://bucket/prefix, hdfs://host:port/path, az://container/prefix, abfs[s]://container@account.dfs.core.windows.net/prefix.", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Theory]
    [InlineData("hdfs://[::1]:9870/p", "[::1]:9870")]
    [InlineData("hdfs://[::1]/p", "[::1]")]
    [InlineData("hdfs://[fe80::1%25eth0]:9870/p", "[fe80::1%25eth0]:9870")]
    [InlineData("hdfs://nn.example.com:65535/p", "nn.example.com:65535")]
    public void Parse_AcceptsHostsAndPortsTheBackendCanReach(string text, string authority)
    {
        Assert.Equal(authority, StorageUri.Parse(text).Authority);
    }

    [Theory]
    [InlineData("[::1]:9000")]
    [InlineData("http://[::1]:9000")]
    [InlineData("https://minio.local:9000/base")]
    [InlineData("127.0.0.1:4568")]
    public void Parse_AcceptsEndpointOverrides(string endpoint)
    {
        Assert.Equal(endpoint, StorageUri.Parse("s3://bucket/p?endpoint_override=" + Uri.EscapeDataString(endpoint)).GetOption("endpoint_override"));
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

    [Theory]
    [InlineData("s3://b/p?secret%5Fkey=sup3rs3cret", "s3://b/p?secret%5Fkey=***")]
    [InlineData("s3://b/p?%73ecret_key=sup3rs3cret", "s3://b/p?%73ecret_key=***")]
    [InlineData("s3://b/p?Secret_Key=sup3rs3cret", "s3://b/p?Secret_Key=***")]
    [InlineData("s3://b/p?secret_key=sup3rs3cret&secret_key=sup3rs3cret", "s3://b/p?secret_key=***&secret_key=***")]
    [InlineData("s3://b/p?region=x#secret_key=sup3rs3cret", "s3://b/p?region=x#***")]
    [InlineData("s3://b/p?secret_key=abcd#sup3rs3cret", "s3://b/p?secret_key=***#***")]
    [InlineData("s3://b/p#sup3rs3cret", "s3://b/p#***")]
    [InlineData("s3://b/p?secret_key=abcd&sup3rs3cret&region=x", "s3://b/p?secret_key=***&***&region=x")]
    [InlineData("s3://b/p?region=x&sup3rs3cret", "s3://b/p?region=x&***")]
    [InlineData("s3://b/p?region=x?secret_key=sup3rs3cret", "s3://b/p?region=x?secret_key=***")]
    [InlineData("s3://b/p?secret_kye=sup3rs3cret", "s3://b/p?secret_kye=***")]
    [InlineData("s3://b/p?endpoint_override=http://user:sup3rs3cret@host:9000", "s3://b/p?endpoint_override=http://***@host:9000")]
    [InlineData("s3://b/p?endpoint_override=http%3A%2F%2Fuser%3Asup3rs3cret%40host", "s3://b/p?endpoint_override=http://***@host")]
    [InlineData("s3://AKIA:sup3rs3cret@b/p", "s3://***@b/p")]
    [InlineData("s3://b/p?region=eu-west-1&scheme=http&user=alice", "s3://b/p?region=eu-west-1&scheme=http&user=alice")]
    [InlineData("abfss://runs@acct1.dfs.core.windows.net/p", "abfss://runs@acct1.dfs.core.windows.net/p")]
    [InlineData("abfss://user:sup3rs3cret@acct1.dfs.core.windows.net/p", "abfss://***@acct1.dfs.core.windows.net/p")]
    [InlineData("az://runs/p?account=acct1&endpoint=http://127.0.0.1:10000/acct1", "az://runs/p?account=acct1&endpoint=http://127.0.0.1:10000/acct1")]
    [InlineData("az://runs/p?endpoint=http://user:sup3rs3cret@host:10000/a", "az://runs/p?endpoint=http://***@host:10000/a")]
    [InlineData("az://runs/p?Account_Key=sup3rs3cret&sas%5Ftoken=sup3rs3cret&sig=sup3rs3cret", "az://runs/p?Account_Key=***&sas%5Ftoken=***&sig=***")]
    [InlineData("az://runs/p?connection_string=AccountName%3Da%3BAccountKey%3Dsup3rs3cret", "az://runs/p?connection_string=***")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=sup3rs3cret;EndpointSuffix=x", "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=***;EndpointSuffix=x")]
    public void Redact_HidesSecretsInEverySpelling_AfterDecoding(string location, string shown)
    {
        Assert.Equal(shown, StorageUriGrammar.Redact(location));
    }

    [Fact]
    public void ToString_RedactsDecodedSecretOptionNames()
    {
        var uri = StorageUri.Parse("s3://b/p?access_key=AK&%73ecret%5Fkey=sup3rs3cret");

        Assert.Equal("s3://b/p?access_key=***&secret_key=***", uri.ToString());
        Assert.Equal("sup3rs3cret", uri.GetOption("secret_key"));
    }

    [Fact]
    public void ParseError_RedactsSecrets()
    {
        var ex = Assert.Throws<FormatException>(() => StorageUri.Parse("s3://b/p?secret_key=sup3rs3cret&bogus=1"));

        Assert.DoesNotContain("sup3rs3cret", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://b/p?secret_key=abcd&efghSup3rs3cret&endpoint_override=127.0.0.1:1&scheme=http")]
    [InlineData("s3://b/p?access_key=AK&session_token=abcd&efghSup3rs3cret")]
    public void ParseError_ForAWordAfterASecret_NeverEchoesIt_AndSaysHowToEscape(string location)
    {
        var ex = Assert.Throws<FormatException>(() => StorageUri.Parse(location));

        Assert.DoesNotContain("sup3rs3cret", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("%26", ex.Message, StringComparison.Ordinal);
        Assert.Contains(StorageUriGrammar.SecretValues(location), s => s == "efghSup3rs3cret");
    }

    [Fact]
    public void SecretValues_IncludeTheTailAfterAHash()
    {
        Assert.Contains("sup3rs3cret", StorageUriGrammar.SecretValues("s3://b/p?secret_key=abcd#sup3rs3cret"));
    }
}
