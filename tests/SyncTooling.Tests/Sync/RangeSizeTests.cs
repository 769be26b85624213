using SyncTooling.Sync;

namespace SyncTooling.Tests.Sync;

/// <summary>
/// How a large download is cut into ranges: up to 128 MiB in 8 MiB ranges, larger objects in twice
/// <see cref="RangedDownloader.RangesInFlight"/> ranges (fewer requests) of at most 64 MiB.
/// </summary>
public sealed class RangeSizeTests
{
    private const long MiB = 1024 * 1024;

    [Theory]
    [InlineData(8 * MiB + 1, 8 * MiB)]                // the smallest object that goes in ranges: two of them
    [InlineData(64 * MiB + 123, 8 * MiB)]             // nine, as before sizes grew
    [InlineData(128 * MiB, 8 * MiB)]                  // sixteen
    [InlineData(128 * MiB + 1, 9 * MiB)]              // a byte over: the share rounded up to whole MiB
    [InlineData(256 * MiB, 16 * MiB)]
    [InlineData(1024 * MiB, 64 * MiB)]                // 16 ranges instead of 128 of 8 MiB
    [InlineData(4096 * MiB, 64 * MiB)]
    [InlineData(5 * 1024 * 1024 * MiB, 64 * MiB)]     // S3's largest object: 81,920 ranges, still 64 MiB
    public void RangeSize_FollowsTheObjectsSize(long size, long expected)
    {
        int rangeSize = RangedDownloader.RangeSizeFor(size);

        Assert.Equal(expected, rangeSize);
        // More ranges than slots where the object allows it, so later ranges meet a replaced object's If-Match.
        long ranges = (size + rangeSize - 1) / rangeSize;
        Assert.True(size <= (long)RangedDownloader.RangesInFlight * RangedDownloader.RangeSize || ranges > RangedDownloader.RangesInFlight, $"{ranges} ranges");
    }

    [Fact]
    public void RangeSize_DependsOnTheSizeAlone_SoARerunContinuesTheRecord()
    {
        Assert.All(new long[] { 9 * MiB, 100 * MiB + 5, 3L * 1024 * 1024 * 1024 }, size => Assert.Equal(RangedDownloader.RangeSizeFor(size), RangedDownloader.RangeSizeFor(size)));
        Assert.Equal(0, RangedDownloader.RangeSizeFor(777 * MiB) % MiB);
    }
}
