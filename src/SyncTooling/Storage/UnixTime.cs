using System.Globalization;

namespace SyncTooling.Storage;

/// <summary>
/// A point in time as nanoseconds since the Unix epoch: the precision file systems keep modification times in
/// (a <see cref="DateTimeOffset"/> stops at 100 ns), so a time read from a file, stored as object metadata and
/// set on a file again comes back unchanged.
/// </summary>
/// <param name="Nanoseconds">
/// Nanoseconds since 1970-01-01T00:00:00Z (negative before). 128 bits: 64-bit nanoseconds end in 2262, and a file
/// may carry any time a <see cref="DateTimeOffset"/> can (years 1 to 9999).
/// </param>
public readonly record struct UnixTime(Int128 Nanoseconds)
{
    private const long NanosecondsPerTick = 100;
    private const long NanosecondsPerSecond = 1_000_000_000;

    /// <summary>The seconds of 9999-12-31T23:59:59Z, the last second a <see cref="DateTimeOffset"/> holds.</summary>
    private const long MaxSeconds = 253_402_300_799;

    /// <summary>The time to the 100 ns tick (sub-tick nanoseconds are dropped); times outside years 1 to 9999 are clamped.</summary>
    public DateTimeOffset ToDateTimeOffset()
    {
        var (ticks, rest) = Int128.DivRem(Nanoseconds, NanosecondsPerTick);
        ticks -= rest < 0 ? 1 : 0;
        Int128 min = DateTimeOffset.MinValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        Int128 max = DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return ticks < min ? DateTimeOffset.MinValue : ticks > max ? DateTimeOffset.MaxValue : DateTimeOffset.UnixEpoch.AddTicks((long)ticks);
    }

    /// <summary>The time of <paramref name="time"/>, exact to its 100 ns tick.</summary>
    public static UnixTime From(DateTimeOffset time) => new((Int128)(time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * NanosecondsPerTick);

    /// <summary>
    /// rclone's <c>X-Amz-Meta-Mtime</c> format: decimal seconds, up to nine fractional digits with trailing zeros
    /// dropped (<c>1354040105.123456789</c>, <c>1354040105</c>, <c>-1.5</c>).
    /// </summary>
    public string ToMetadataString()
    {
        if (Nanoseconds < 0)
        {
            return "-" + new UnixTime(-Nanoseconds).ToMetadataString();
        }

        var (seconds, fraction) = Int128.DivRem(Nanoseconds, NanosecondsPerSecond);
        string text = seconds.ToString(CultureInfo.InvariantCulture);
        return fraction == 0 ? text : text + "." + ((long)fraction).ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
    }

    /// <summary>
    /// Reads <see cref="ToMetadataString"/>'s format the way rclone does: digits past the ninth fractional one are
    /// cut, fewer are padded. Anything but an optional '-', digits and one optional '.' is refused (older
    /// versions of this library wrote milliseconds, <c>1354040105.123</c>, which reads as such).
    /// </summary>
    public static bool TryParseMetadata(string? text, out UnixTime time)
    {
        time = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        bool negative = text[0] == '-';
        ReadOnlySpan<char> rest = negative ? text.AsSpan(1) : text.AsSpan();
        int point = rest.IndexOf('.');
        ReadOnlySpan<char> whole = point < 0 ? rest : rest[..point];
        ReadOnlySpan<char> fraction = point < 0 ? [] : rest[(point + 1)..];
        if (whole.IsEmpty || !IsDigits(whole) || !IsDigits(fraction) || whole.Length > 12)
        {
            return false;
        }

        long seconds = long.Parse(whole, NumberStyles.None, CultureInfo.InvariantCulture);
        if (seconds > MaxSeconds)
        {
            return false;
        }

        long nanoseconds = 0;
        for (int i = 0; i < 9; i++)
        {
            nanoseconds = (nanoseconds * 10) + (i < fraction.Length ? fraction[i] - '0' : 0);
        }

        Int128 total = ((Int128)seconds * NanosecondsPerSecond) + nanoseconds;
        time = new UnixTime(negative ? -total : total);
        return true;
    }

    /// <summary>
    /// rclone's Azure Blob <c>mtime</c> metadata format: RFC 3339 in UTC with nine fractional digits
    /// (<c>2012-11-27T18:15:05.123456789Z</c>); times outside years 1 to 9999 are clamped.
    /// </summary>
    public string ToRfc3339String()
    {
        var (seconds, nanoseconds) = Int128.DivRem(Nanoseconds, NanosecondsPerSecond);
        if (nanoseconds < 0)
        {
            seconds -= 1;
            nanoseconds += NanosecondsPerSecond;
        }

        const long MinSeconds = -62_135_596_800; // 0001-01-01T00:00:00Z
        if (seconds < MinSeconds || seconds > MaxSeconds)
        {
            (seconds, nanoseconds) = seconds < MinSeconds ? (MinSeconds, 0) : (MaxSeconds, NanosecondsPerSecond - 1);
        }

        return DateTimeOffset.FromUnixTimeSeconds((long)seconds).UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture)
            + "." + ((long)nanoseconds).ToString("D9", CultureInfo.InvariantCulture) + "Z";
    }

    /// <summary>
    /// Reads RFC 3339 as rclone's Azure backend writes it (and Go's parser reads it): <c>YYYY-MM-DDTHH:MM:SS</c>, an
    /// optional fraction of up to nine digits, then <c>Z</c> or <c>+HH:MM</c>/<c>-HH:MM</c> (upper-case T and Z, as Go's
    /// layout has them). Anything else is refused.
    /// </summary>
    public static bool TryParseRfc3339(string? text, out UnixTime time)
    {
        time = default;
        if (text is null || text.Length < 20 || text[10] != 'T' ||
            !DateTime.TryParseExact(text.AsSpan(0, 19), "yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var whole))
        {
            return false;
        }

        ReadOnlySpan<char> rest = text.AsSpan(19);
        long nanoseconds = 0;
        if (rest[0] == '.')
        {
            int digits = rest[1..].IndexOfAnyExceptInRange('0', '9');
            if (digits is < 1 or > 9)
            {
                return false;
            }

            for (int i = 0; i < 9; i++)
            {
                nanoseconds = (nanoseconds * 10) + (i < digits ? rest[1 + i] - '0' : 0);
            }

            rest = rest[(1 + digits)..];
        }

        TimeSpan offset;
        if (rest is "Z")
        {
            offset = TimeSpan.Zero;
        }
        else if (rest.Length == 6 && rest[0] is '+' or '-' && rest[3] == ':' && IsDigits(rest.Slice(1, 2)) && IsDigits(rest.Slice(4, 2)) &&
                 int.Parse(rest.Slice(1, 2), CultureInfo.InvariantCulture) is var hours and < 24 && int.Parse(rest.Slice(4, 2), CultureInfo.InvariantCulture) is var minutes and < 60)
        {
            offset = new TimeSpan(hours, minutes, 0) * (rest[0] == '-' ? -1 : 1);
        }
        else
        {
            return false;
        }

        long utcTicks = whole.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        time = new UnixTime((((Int128)(utcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerSecond) * NanosecondsPerSecond) + nanoseconds);
        return true;
    }

    private static bool IsDigits(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('0', '9');
}
