using SyncTooling.Validation;

namespace SyncTooling.Tests;

public sealed class SyncConfigTests
{
    [Fact]
    public void Defaults_MatchRay()
    {
        var config = new SyncConfig();

        Assert.Null(config.UploadDir);
        Assert.Same(Syncer.Auto, config.Syncer);
        Assert.True(config.SyncOnCheckpoint);
        Assert.Equal(TimeSpan.FromSeconds(300), config.SyncPeriod);
        Assert.Equal(TimeSpan.FromMinutes(30), config.SyncTimeout);
        Assert.False(config.SyncArtifacts);
        Assert.True(config.SyncArtifactsOnCheckpoint);
        Assert.Empty(config.Validate());
    }

    [Fact]
    public void CreateSyncer_Auto_PicksStorageByScheme()
    {
        using var syncer = new SyncConfig { UploadDir = "memory://runs/x", SyncPeriod = TimeSpan.FromSeconds(7) }.CreateSyncer();

        var storageSyncer = Assert.IsType<StorageSyncer>(syncer);
        Assert.Equal(TimeSpan.FromSeconds(7), storageSyncer.SyncPeriod);
    }

    [Fact]
    public void CreateSyncer_ReturnsNull_WhenDisabledOrNoUploadDir()
    {
        Assert.Null(new SyncConfig().CreateSyncer());
        Assert.Null(new SyncConfig { Syncer = null }.CreateSyncer());
    }

    [Fact]
    public void CreateSyncer_UsesCustomInstanceAsIs()
    {
        using var custom = new StorageSyncer();

        Assert.Same(custom, new SyncConfig { UploadDir = "/tmp/x", Syncer = custom }.CreateSyncer());
    }

    [Fact]
    public void CreateSyncer_Throws_ListingEachErrorWithItsRule()
    {
        var config = new SyncConfig { UploadDir = "ftp://x/y", SyncPeriod = TimeSpan.Zero };

        var ex = Assert.Throws<ArgumentException>(() => config.CreateSyncer());

        Assert.Contains("SYNC001: UploadDir: 'ftp://x/y' is not a supported storage location: unknown scheme 'ftp'.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SYNC005: SyncPeriod is 00:00:00; it must be greater than zero.", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SYNC001", "relative/dir")]
    [InlineData("SYNC001", "s3a://bucket/x")]
    [InlineData("SYNC007", "s3://bucket/x?secret_key=abc")]
    [InlineData("SYNC008", "s3://My_Bucket/x")]
    [InlineData("SYNC008", "s3://ab/x")]
    public void Validate_FlagsBadUploadDirs(string rule, string uploadDir)
    {
        var findings = new SyncConfig { UploadDir = uploadDir }.Validate();

        Assert.Contains(findings, f => f.RuleId == rule);
    }

    [Fact]
    public void Validate_FlagsSettingsWithNoEffect()
    {
        var cloudNoCheckpoint = new SyncConfig { UploadDir = "s3://bucket/x", SyncOnCheckpoint = false }.Validate();
        var localNoCheckpoint = new SyncConfig { UploadDir = "/mnt/nfs/x", SyncOnCheckpoint = false }.Validate();
        var artifacts = new SyncConfig { SyncArtifactsOnCheckpoint = false }.Validate();

        Assert.Equal(SyncRuleIds.SyncOnCheckpointWithCloud, Assert.Single(cloudNoCheckpoint).RuleId);
        Assert.Empty(localNoCheckpoint);
        Assert.Equal(SyncRuleIds.ArtifactsOnCheckpointWithoutArtifacts, Assert.Single(artifacts).RuleId);
        Assert.Empty(new SyncConfig { SyncArtifacts = true, SyncArtifactsOnCheckpoint = false }.Validate());
    }

    [Fact]
    public void Validate_FlagsSyncerContradictions()
    {
        using var custom = new StorageSyncer();

        var disabled = new SyncConfig { UploadDir = "/tmp/x", Syncer = null }.Validate();
        var customWithoutDir = new SyncConfig { Syncer = custom }.Validate();

        Assert.Equal(SyncRuleIds.UploadDirWithSyncingDisabled, Assert.Single(disabled).RuleId);
        Assert.Equal(SyncRuleIds.CustomSyncerWithoutUploadDir, Assert.Single(customWithoutDir).RuleId);
    }

    [Fact]
    public void WithExpression_KeepsOtherFields()
    {
        var config = new SyncConfig { UploadDir = "s3://bucket/a", SyncPeriod = TimeSpan.FromSeconds(5) };

        var changed = config with { UploadDir = "gs://bucket/b" };

        Assert.Equal(TimeSpan.FromSeconds(5), changed.SyncPeriod);
        Assert.Equal("gs://bucket/b", changed.UploadDir);
    }
}
