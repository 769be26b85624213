using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace SyncTooling.Sync;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> (1-based) of one sync: the keys whose XxHash64 (seed 0) of their
/// UTF-8 bytes, modulo <see cref="Count"/>, is <c>Index - 1</c>. The hash depends on the key's bytes only, never on
/// the platform, the process or the listing order, so N processes on N machines each given another shard split the
/// keys between them exactly once, with no coordinator. Both sides are limited to the shard: deletes and the
/// empty-source and max-delete guards apply within it.
/// </summary>
public sealed record SyncShard
{
    /// <summary>The most shards one sync can be split into.</summary>
    public const int MaxCount = 100_000;

    /// <summary>What a shard must be, for error messages: "it must be K/N ...".</summary>
    public const string Allowed = "it must be K/N, shard K of N, with 1 <= K <= N <= 100000 (numbered from 1, e.g. 1/4)";

    /// <summary>Creates shard <paramref name="index"/> of <paramref name="count"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not 1 to <see cref="MaxCount"/>, or <paramref name="index"/> is not 1 to <paramref name="count"/>.</exception>
    public SyncShard(int index, int count)
    {
        if (count is < 1 or > MaxCount || index < 1 || index > count)
        {
            throw new ArgumentOutOfRangeException(count is < 1 or > MaxCount ? nameof(count) : nameof(index), string.Create(CultureInfo.InvariantCulture, $"The shard is {index}/{count}; {Allowed}."));
        }

        Index = index;
        Count = count;
    }

    /// <summary>Which shard, 1 to <see cref="Count"/>.</summary>
    public int Index { get; }

    /// <summary>How many shards the sync is split into.</summary>
    public int Count { get; }

    /// <summary>Parses <c>K/N</c> (e.g. <c>2/4</c>).</summary>
    /// <exception cref="FormatException">The text is not <c>K/N</c> with 1 &lt;= K &lt;= N &lt;= <see cref="MaxCount"/>; the message says what is allowed.</exception>
    public static SyncShard Parse(string text) =>
        TryParse(text, out var shard) ? shard! : throw new FormatException($"The shard is '{text}'; {Allowed}.");

    /// <summary>Parses <c>K/N</c> (digits only, no sign or space); false for anything else or a K or N out of range.</summary>
    public static bool TryParse(string? text, out SyncShard? shard)
    {
        shard = null;
        string[] parts = (text ?? string.Empty).Split('/');
        if (parts.Length == 2 && IsNumber(parts[0]) && IsNumber(parts[1])
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            && count is >= 1 and <= MaxCount && index >= 1 && index <= count)
        {
            shard = new SyncShard(index, count);
        }

        return shard is not null;
    }

    /// <summary>True when <paramref name="key"/> belongs to this shard.</summary>
    public bool Contains(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Count == 1 || Of(key, Count) == Index;
    }

    /// <summary>The shard (1 to <paramref name="count"/>) that <paramref name="key"/> belongs to.</summary>
    public static int Of(string key, int count)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return (int)(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(key)) % (ulong)count) + 1;
    }

    /// <summary>K/N.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    private static bool IsNumber(string text) => text.Length is > 0 and <= 9 && text.All(char.IsAsciiDigit);
}
