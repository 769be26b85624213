using SyncTooling.Validation;

namespace SyncTooling.Tests;

public sealed class SyncRulesTests
{
    [Theory]
    [InlineData("file[1", "'[' opens a character set that is never closed")]
    [InlineData("/abs/*", "never start with '/'")]
    [InlineData("./x", "never start with './'")]
    [InlineData("", "an empty pattern matches nothing")]
    [InlineData("a\\b", "a backslash is a literal character")]
    public void CheckExcludePattern_FlagsUselessPatterns(string pattern, string reason)
    {
        var finding = SyncRules.CheckExcludePattern(pattern);

        Assert.NotNull(finding);
        Assert.Equal("SYNC009", finding.RuleId);
        Assert.Contains(reason, finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*_exclude*")]
    [InlineData("logs/")]
    [InlineData("[]]x")]
    [InlineData("[!a]")]
    public void CheckExcludePattern_AcceptsGoodPatterns(string pattern)
    {
        Assert.Null(SyncRules.CheckExcludePattern(pattern));
    }

    [Fact]
    public void CheckLocation_CredentialsInUserInfo_AreFlaggedAndRedacted()
    {
        var findings = SyncRules.CheckLocation("s3://AKIA:s3cr3t@bucket/x", "UploadDir", requireAbsolute: true);

        Assert.Contains(findings, f => f.RuleId == "SYNC007");
        Assert.All(findings, f => Assert.DoesNotContain("s3cr3t", f.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("s3://bucket/x?secret%5Fkey=s3cr3t")]
    [InlineData("s3://bucket/x?%73ecret_key=s3cr3t")]
    [InlineData("s3://bucket/x?Secret_Key=s3cr3t")]
    [InlineData("s3://bucket/x?region=x#session_token=s3cr3t")]
    [InlineData("s3://bucket/x?endpoint_override=http://user:s3cr3t@host:9000")]
    [InlineData("s3://bucket/x?endpoint_override=http%3A%2F%2Fuser%3As3cr3t%40host")]
    public void CheckLocation_CredentialsInAnySpelling_AreFlaggedAndRedacted(string location)
    {
        var findings = SyncRules.CheckLocation(location, "UploadDir", requireAbsolute: true);

        Assert.Contains(findings, f => f.RuleId == "SYNC007");
        Assert.All(findings, f => Assert.DoesNotContain("s3cr3t", f.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("s3://bucket/x?region=eu-west-1&endpoint_override=http://host:9000")]
    [InlineData("s3://bucket/user@example.com/x")]
    [InlineData("hdfs://nn:9870/x?user=alice")]
    public void CheckLocation_NoCredentials_NoSync007(string location)
    {
        Assert.DoesNotContain(SyncRules.CheckLocation(location, "UploadDir", requireAbsolute: true), f => f.RuleId == "SYNC007");
    }

    [Theory]
    [InlineData("s3", "my.bucket-1", null)]
    [InlineData("s3", "ab", "3 to 63 characters")]
    [InlineData("s3", "Upper", "lower-case letters")]
    [InlineData("s3", "under_score", "lower-case letters")]
    [InlineData("gs", "under_score", null)]
    [InlineData("s3", "-dash", "start and end with a letter or digit")]
    [InlineData("s3", "192.168.0.1", "not IP addresses")]
    [InlineData("s3", "a..b", "do not contain '..'")]
    public void CheckBucketName_FollowsTheServiceRules(string scheme, string bucket, string? error)
    {
        string? actual = StorageUriGrammar.CheckBucketName(scheme, bucket);

        if (error is null)
        {
            Assert.Null(actual);
        }
        else
        {
            Assert.Contains(error, actual, StringComparison.Ordinal);
        }
    }
}
