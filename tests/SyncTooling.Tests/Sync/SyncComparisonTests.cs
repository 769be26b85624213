using SyncTooling.Storage;
using SyncTooling.Sync;

namespace SyncTooling.Tests.Sync;

/// <summary>How one source/destination pair is compared: by default, --size-only and --exact-timestamps.</summary>
public sealed class SyncComparisonTests
{
    private static readonly DateTimeOffset Earlier = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = Earlier.AddHours(1);
    private static readonly TimeSpan Precision = TimeSpan.FromSeconds(1) - TimeSpan.FromTicks(1);

    public static TheoryData<string, DateTimeOffset, DateTimeOffset, bool> Cases => new()
    {
        { "default", Later, Earlier, true },
        { "default", Earlier, Later, false },
        { "default", Earlier, Earlier.AddMilliseconds(500), false },
        { "size-only", Later, Earlier, false },
        { "exact", Earlier, Later, true },
        { "exact", Later, Earlier, true },
        { "exact", Earlier, Earlier.AddMilliseconds(500), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ASameSizePair_IsChanged_AsTheModeSays(string mode, DateTimeOffset source, DateTimeOffset destination, bool changed)
    {
        var options = new SyncOptions { SizeOnly = mode == "size-only", ExactTimestamps = mode == "exact" };

        Assert.Equal(changed, SyncPlan.IsChanged(new StorageEntry("a", 3, source), new StorageEntry("a", 3, destination), options, Precision));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void ADifferentSize_IsAlwaysChanged(bool sizeOnly, bool exact)
    {
        var options = new SyncOptions { SizeOnly = sizeOnly, ExactTimestamps = exact };

        Assert.True(SyncPlan.IsChanged(new StorageEntry("a", 3, Earlier), new StorageEntry("a", 4, Earlier), options, Precision));
    }

    [Fact]
    public void TwoComparisonModes_AreRefusedByValidate()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SyncOptions { Checksum = true, SizeOnly = true }.Validate());

        Assert.StartsWith("Checksum, SizeOnly and ExactTimestamps each choose how files are compared; set at most one (Checksum is True, SizeOnly is True, ExactTimestamps is False).", ex.Message, StringComparison.Ordinal);
    }
}
