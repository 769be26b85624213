using SyncTooling.Storage;

namespace SyncTooling.Tests.Storage;

/// <summary>The part size of large uploads: the configured one while it fits the store's part count, then growing with the file.</summary>
public sealed class PartPlannerTests
{
    private const long MiB = 1024 * 1024;
    private const long GiB = 1024 * MiB;
    private const long TiB = 1024 * GiB;
    private const long Configured = 8 * MiB;

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(5 * MiB)]
    [InlineData(8 * MiB + 1)]
    [InlineData(10_000 * Configured)]
    public void UpToTenThousandConfiguredParts_TheConfiguredSizeIsKept(long fileSize)
    {
        Assert.Equal(Configured, PartPlanner.PartSize(fileSize, Configured, PartLimits.S3));
    }

    [Fact]
    public void OneByteMoreThanTenThousandParts_TheSizeGrowsToTheNextMiB()
    {
        Assert.Equal(9 * MiB, PartPlanner.PartSize((10_000 * Configured) + 1, Configured, PartLimits.S3));
    }

    [Theory]
    [InlineData(78 * GiB)]
    [InlineData(100 * GiB)]
    [InlineData(1 * TiB)]
    [InlineData(5 * TiB - 1)]
    [InlineData(5 * TiB)]
    public void AnyFileUpToFiveTiB_FitsInTenThousandPartsOfWholeMiBWithinTheLimits(long fileSize)
    {
        long size = PartPlanner.PartSize(fileSize, Configured, PartLimits.S3);

        Assert.Equal(0, size % MiB);
        Assert.InRange(size, 5 * MiB, 5 * GiB);
        Assert.True((fileSize + size - 1) / size <= 10_000, $"{fileSize} bytes in parts of {size} make more than 10,000 parts");
    }

    [Fact]
    public void FiveTiB_GoesUpIn525MiBParts()
    {
        Assert.Equal(525 * MiB, PartPlanner.PartSize(5 * TiB, Configured, PartLimits.S3));
    }

    [Fact]
    public void TheSameFileSize_AlwaysGivesTheSamePartSize()
    {
        long fileSize = (123 * GiB) + 4567;

        Assert.Equal(PartPlanner.PartSize(fileSize, Configured, PartLimits.S3), PartPlanner.PartSize(fileSize, Configured, PartLimits.S3));
    }

    [Fact]
    public void MoreThanFiveTiB_IsRefusedPermanently_SayingWhatIsAllowed()
    {
        var ex = Assert.Throws<StorageException>(() => PartPlanner.PartSize((5 * TiB) + 1, Configured, PartLimits.S3));

        Assert.False(ex.IsTransient);
        Assert.Equal("The file is 5497558138881 bytes; an S3 object can hold at most 5497558138880 bytes (10000 parts of at most 5120 MiB).", ex.Message);
    }

    [Fact]
    public void AzureBlockBlobs_UseTheirOwnBlockCount()
    {
        // 50,000 blocks of 8 MiB hold 390.6 GiB, where S3's 10,000 parts already need 40 MiB parts.
        Assert.Equal(Configured, PartPlanner.PartSize(50_000 * Configured, Configured, PartLimits.AzureBlockBlob));
        Assert.Equal(40 * MiB, PartPlanner.PartSize(50_000 * Configured, Configured, PartLimits.S3));
        Assert.Equal(4000 * MiB, PartPlanner.PartSize(50_000 * 4000 * MiB, Configured, PartLimits.AzureBlockBlob));
    }

    [Theory]
    [InlineData(-1L, Configured)]
    [InlineData(0L, (5 * MiB) - 1)]
    [InlineData(0L, (5 * GiB) + 1)]
    public void ABadSizeOrConfiguration_IsAnArgumentError(long fileSize, long configured)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PartPlanner.PartSize(fileSize, configured, PartLimits.S3));
    }

    [Fact]
    public void TheUploader_CutsPartsOfThePlannedSize()
    {
        using var uploader = new PartUploader((int)Configured, 4, PartLimits.S3);

        Assert.Equal((int)Configured, uploader.PartSizeFor(1 * GiB));
        Assert.Equal((int)(9 * MiB), uploader.PartSizeFor(80 * GiB));
    }
}
