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
        Assert.Equal((Int128)nanoseconds, read.Nanoseconds);
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
    [InlineData("253402300800")] // one second past 9999-12-31T23:59:59Z: no DateTimeOffset holds it
    [InlineData("9999999999999")]
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

    /// <summary>64-bit nanoseconds end in 2262 and begin in 1677: a time outside that range once wrapped around.</summary>
    [Theory]
    [InlineData("9999-12-31T23:59:59.9999999Z")]
    [InlineData("2262-04-12T00:00:00Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("1677-09-21T00:00:00Z")]
    public void TimesFarFromTheEpoch_RoundTripThroughMetadata(string iso)
    {
        var time = DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(UnixTime.TryParseMetadata(UnixTime.From(time).ToMetadataString(), out var read));
        Assert.Equal(time, read.ToDateTimeOffset());
    }

    /// <summary>Past 2262 on a file (ext4 and tmpfs keep 1901 to 2446; earlier and later times are the file system's to clamp).</summary>
    [Fact]
    public void ATimePast2262_IsSetOnAFileAndReadBack()
    {
        var time = new DateTimeOffset(2400, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567);
        string path = Path.GetTempFileName();
        try
        {
            Assert.True(SyncTooling.Storage.File.UnixFileTime.TrySet(path, UnixTime.From(time)));
            Assert.Equal(time, SyncTooling.Storage.File.UnixFileTime.TryRead(path)?.ToDateTimeOffset());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("1700000000.123456789", "2023-11-14T22:13:20.123456789Z")]
    [InlineData("0", "1970-01-01T00:00:00.000000000Z")]
    [InlineData("-0.000000001", "1969-12-31T23:59:59.999999999Z")]
    [InlineData("-1.5", "1969-12-31T23:59:58.500000000Z")]
    [InlineData("253402300799.999999999", "9999-12-31T23:59:59.999999999Z")]
    public void Rfc3339_IsRclonesAzureFormat_AndRoundTripsToTheNanosecond(string seconds, string rfc3339)
    {
        Assert.True(UnixTime.TryParseMetadata(seconds, out var time));

        Assert.Equal(rfc3339, time.ToRfc3339String());
        Assert.True(UnixTime.TryParseRfc3339(rfc3339, out var read));
        Assert.Equal(time, read);
    }

    [Theory]
    [InlineData("2023-11-14T22:13:20Z", "1700000000")]
    [InlineData("2023-11-14T22:13:20.5Z", "1700000000.5")]
    [InlineData("2023-11-14T17:13:20.000000001-05:00", "1700000000.000000001")]
    public void Rfc3339_ReadsWhatGoWrites(string rfc3339, string seconds)
    {
        Assert.True(UnixTime.TryParseMetadata(seconds, out var expected));

        Assert.True(UnixTime.TryParseRfc3339(rfc3339, out var read));
        Assert.Equal(expected, read);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1700000000.5")]
    [InlineData("2023-11-14 22:13:20Z")]
    [InlineData("2023-11-14T22:13:20")]
    [InlineData("2023-11-14T22:13:20.Z")]
    [InlineData("2023-11-14T22:13:20.1234567890Z")]
    [InlineData("2023-11-14T22:13:20+25:00")]
    [InlineData("2023-11-14T22:13:20+0100")]
    [InlineData("2023-13-14T22:13:20Z")]
    [InlineData("2023-11-14T22:13:20Z trailing")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("2023-11-14t22:13:20z")]
    public void Rfc3339_RefusesAnythingElse(string? text)
    {
        Assert.False(UnixTime.TryParseRfc3339(text, out _));
    }
}
