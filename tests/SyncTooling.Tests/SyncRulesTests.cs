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

    [Theory]
    [InlineData("az", "my-container-1", null)]
    [InlineData("az", "ab", "3 to 63 characters")]
    [InlineData("az", "Upper", "only lower-case letters, digits and '-'")]
    [InlineData("az", "dot.ted", "only lower-case letters, digits and '-'")]
    [InlineData("az", "-dash", "start and end with a letter or digit")]
    [InlineData("abfs", "dash-@account.dfs.core.windows.net", "start and end with a letter or digit")]
    [InlineData("abfss", "a--b@account.dfs.core.windows.net", "do not contain '--'")]
    [InlineData("abfss", "data@account.dfs.core.windows.net", null)]
    public void CheckBucketName_ChecksAzureContainerNames(string scheme, string authority, string? error)
    {
        string? actual = StorageUriGrammar.CheckBucketName(scheme, authority);

        if (error is null)
        {
            Assert.Null(actual);
        }
        else
        {
            Assert.Contains(error, actual, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("az://runs/exp1")]
    [InlineData("az://runs/exp1?account=myaccount")]
    [InlineData("az://runs?endpoint=http://127.0.0.1:10000/devstoreaccount1")]
    [InlineData("abfs://runs@myaccount.dfs.core.windows.net/exp1")]
    [InlineData("abfss://runs@myaccount.dfs.core.windows.net")]
    public void CheckLocation_AcceptsAzureForms(string location)
    {
        Assert.Empty(SyncRules.CheckLocation(location, "UploadDir", requireAbsolute: true));
    }

    [Fact]
    public void CheckLocation_BadContainer_IsSync008_NamingTheContainer()
    {
        var finding = Assert.Single(SyncRules.CheckLocation("abfss://My_Runs@myaccount.dfs.core.windows.net/x", "UploadDir", requireAbsolute: true));

        Assert.Equal("SYNC008", finding.RuleId);
        Assert.Equal("UploadDir: 'My_Runs' is not a valid container name: container names use only lower-case letters, digits and '-'.", finding.Message);
    }

    [Theory]
    [InlineData("abfs://runs@/x", "'runs@' is not container@account.dfs.core.windows.net")]
    [InlineData("abfs://runs@My_Account.dfs.core.windows.net/x", "account names are 3 to 24 lower-case letters and digits")]
    [InlineData("abfs://runs@myaccount.dfs.core.windows.net/x?account=other", "the account is named twice")]
    [InlineData("az://runs/x?account=UPPER", "option 'account' is a storage account name")]
    [InlineData("az://runs/x?endpoint=127.0.0.1:10000", "option 'endpoint' is the blob service URL")]
    [InlineData("az://runs/x?region=eu", "unknown option 'region'; az:// accepts account, endpoint, account_key, sas_token")]
    [InlineData("az:///x", "az:// needs a container")]
    [InlineData("az://user:pw@runs/x", "credentials do not belong in the location")]
    public void CheckLocation_MalformedAzureLocations_AreSync001(string location, string expected)
    {
        var findings = SyncRules.CheckLocation(location, "UploadDir", requireAbsolute: true);

        var finding = Assert.Single(findings, f => f.RuleId == "SYNC001");
        Assert.Contains(expected, finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("az://runs/x?account_key=c2VjcmV0S2V5VmFsdWU=", "c2VjcmV0S2V5VmFsdWU")]
    [InlineData("az://runs/x?sas_token=sv%3D2024%26sig%3DsecretSig", "secretSig")]
    [InlineData("az://runs/x?sv=2024-05-04&sp=rw&sig=secretSig", "secretSig")]
    [InlineData("az://runs/x?connection_string=AccountName%3Da%3BAccountKey%3DkeyValue", "keyValue")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=keyValue", "keyValue")]
    public void CheckLocation_AzureSecrets_AreSync007_AndNeverShown(string location, string secret)
    {
        var findings = SyncRules.CheckLocation(location, "UploadDir", requireAbsolute: true);

        Assert.Contains(findings, f => f.RuleId == "SYNC007");
        Assert.All(findings, f => Assert.DoesNotContain(secret, f.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("az://runs/exp")]
    [InlineData("abfss://runs@myaccount.dfs.core.windows.net/exp")]
    public void Check_SyncOnCheckpointWithAzure_IsSync002(string uploadDir)
    {
        var findings = SyncRules.Check(new SyncConfigFacts { UploadDirKnown = true, UploadDir = uploadDir, SyncOnCheckpointSet = true });

        Assert.Equal("SYNC002", Assert.Single(findings).RuleId);
    }
}
