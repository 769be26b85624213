using SyncTooling.Runs;
using SyncTooling.Storage;

namespace SyncTooling.Tests.Runs;

public sealed class RunSyncPolicyTests
{
    [Theory]
    [InlineData("s3://bucket/run", false, true)]
    [InlineData("gs://bucket/run", false, true)]
    [InlineData("/data/run", true, true)]
    [InlineData("/data/run", false, false)]
    [InlineData("hdfs://namenode:9870/run", false, false)]
    public void Checkpoints_GoOnTheirOwn_OnCloudStorageOrWithSyncOnCheckpoint(string remote, bool syncOnCheckpoint, bool separately)
    {
        var policy = new RunSyncPolicy(new SyncConfig { SyncOnCheckpoint = syncOnCheckpoint }, StorageUri.Parse(remote));

        Assert.Equal(separately, policy.UploadsCheckpointsWhenWritten);
        Assert.Equal(separately, policy.PeriodicExcludes.Contains("checkpoint_*/"));
    }

    [Theory]
    [InlineData(false, true, new[] { "checkpoint_*/", "out/" }, new[] { "out/" }, false)]
    [InlineData(true, true, new[] { "checkpoint_*/" }, new string[0], true)]
    [InlineData(true, false, new[] { "checkpoint_*/" }, new string[0], false)]
    public void Artifacts_FollowSyncArtifacts(bool artifacts, bool onCheckpoint, string[] periodic, string[] final, bool withCheckpoints)
    {
        var config = new SyncConfig { SyncArtifacts = artifacts, SyncArtifactsOnCheckpoint = onCheckpoint };

        var policy = new RunSyncPolicy(config, StorageUri.Parse("memory://p/run"), "out");

        Assert.Equal(periodic, policy.PeriodicExcludes);
        Assert.Equal(final, policy.FinalExcludes);
        Assert.Equal(withCheckpoints, policy.UploadsArtifactsWithCheckpoints);
        Assert.Equal("memory://p/run/out", policy.ArtifactsDestination.ToString());
    }

    [Fact]
    public void Destinations_KeepQueryOptionsAtTheEnd()
    {
        var policy = new RunSyncPolicy(new SyncConfig(), StorageUri.Parse("hdfs://nn:9870/runs/t1?user=alice"));

        Assert.Equal("hdfs://nn:9870/runs/t1/checkpoint_000004?user=alice", policy.CheckpointDestination("checkpoint_000004").ToString());
    }

    [Theory]
    [InlineData("checkpoint_000001", true)]
    [InlineData("checkpoint_best", true)]
    [InlineData("checkpoint_", false)]
    [InlineData("checkpoints", false)]
    public void CheckpointNames(string name, bool expected) => Assert.Equal(expected, RunSyncPolicy.IsCheckpointName(name));

    [Theory]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("")]
    public void ArtifactsFolder_MustBeOneSegment(string folder) =>
        Assert.Throws<ArgumentException>(() => new RunSyncPolicy(new SyncConfig(), StorageUri.Parse("memory://p/run"), folder));
}
