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

    private static bool IsDigits(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('0', '9');
}
