namespace SyncTooling.Storage;

/// <summary>
/// The one key order a sync merges listings in: UTF-8 byte order, which is Unicode code point order and the order
/// AWS S3, GCS and RGW list in. .NET's ordinal comparison is UTF-16 order, which differs from it only where one key
/// has a character above U+FFFF (a surrogate pair) and the other one in U+E000 to U+FFFF at the same place.
/// </summary>
public sealed class KeyOrder : IComparer<string>
{
    /// <summary>The comparer.</summary>
    public static readonly KeyOrder Instance = new();

    private KeyOrder()
    {
    }

    /// <summary>Compares two keys in UTF-8 byte order; null sorts first.</summary>
    public static int CompareKeys(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        int common = x.AsSpan().CommonPrefixLength(y);
        if (common == x.Length || common == y.Length)
        {
            return x.Length - y.Length;
        }

        return CodePointRank(x[common]) - CodePointRank(y[common]);
    }

    /// <inheritdoc />
    public int Compare(string? x, string? y) => CompareKeys(x, y);

    /// <summary>
    /// Moves surrogates (U+D800 to U+DFFF, the halves of characters above U+FFFF) above U+E000 to U+FFFF, so that
    /// code units compare as the code points they belong to: a first differing unit never splits a pair unevenly.
    /// </summary>
    private static int CodePointRank(char c) => c switch
    {
        >= '\uE000' => c - 0x800,
        >= '\uD800' => c + 0x2000,
        _ => c,
    };
}
