using SyncTooling.Storage;

namespace SyncTooling.Tests.Storage;

/// <summary>rclone's <c>mtime</c> format (ncw/swift TimeToFloatString / FloatStringToTime), to the nanosecond.</summary>
public sealed class UnixTimeTests
{
    [Theory]
    [InlineData(1_354_040_105_123_456_789L, "1354040105.123456789")]
    [InlineData(1_354_040_105_000_000_000L, "1354040105")]
    [InlineData(1_354_040_105_500_000_000L, "1354040105.5")]
    [InlineData(1_354_040_105_000_000_001L, "1354040105.000000001")]
    [InlineData(0L, "0")]
    [InlineData(-1_500_000_000L, "-1.5")]
    public void WritesRclonesFormat_AndReadsItBack(long nanoseconds, string text)
    {
        var time = new UnixTime(nanoseconds);

        string written = time.ToMetadataString();
        bool parsed = UnixTime.TryParseMetadata(text, out var read);

        Assert.Equal(text, written);
        Assert.True(parsed);
        Assert.Equal(time, read);
    }

    [Theory]
    [InlineData("1600000000.123", 1_600_000_000_123_000_000L)] // this library's old millisecond format
    [InlineData("1354040105.1234567891", 1_354_040_105_123_456_789L)] // past nine digits: cut, as rclone does
    [InlineData("1354040105.", 1_354_040_105_000_000_000L)]
    public void ReadsOtherPrecisions_AsRcloneDoes(string text, long nanoseconds)
    {
        Assert.True(UnixTime.TryParseMetadata(text, out var read));
        Assert.Equal(nanoseconds, read.Nanoseconds);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1e9")]
    [InlineData(".5")]
    [InlineData("-")]
    [InlineData("1.2.3")]
    [InlineData(" 1")]
    [InlineData("+1")]
    [InlineData("99999999999")]
    [InlineData("2023-11-14T22:13:20Z")]
    public void RefusesAnythingElse(string? text)
    {
        Assert.False(UnixTime.TryParseMetadata(text, out _));
    }

    [Fact]
    public void ConvertsToDateTimeOffset_ByDroppingSubTickNanoseconds_EvenBeforeTheEpoch()
    {
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddTicks(1_234_567), new UnixTime(1_700_000_000_123_456_789).ToDateTimeOffset());
        Assert.Equal(DateTimeOffset.UnixEpoch.AddTicks(-2), new UnixTime(-150).ToDateTimeOffset());
        Assert.Equal(new UnixTime(1_700_000_000_123_456_700), UnixTime.From(new UnixTime(1_700_000_000_123_456_789).ToDateTimeOffset()));
    }
}
