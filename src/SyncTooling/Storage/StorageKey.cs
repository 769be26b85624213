namespace SyncTooling.Storage;

/// <summary>Checks relative keys before a backend maps them to paths or object names.</summary>
public static class StorageKey
{
    /// <summary>The longest segment (file or folder name) in UTF-8 bytes.</summary>
    public const int MaxSegmentBytes = 255;

    /// <summary>The folders a key lies in, outermost first: <c>a/b/c</c> gives <c>a</c> and <c>a/b</c>.</summary>
    internal static IEnumerable<string> FoldersOf(string key)
    {
        for (int slash = key.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = key.IndexOf('/', slash + 1))
        {
            yield return key[..slash];
        }
    }

    /// <summary>Returns null when <paramref name="key"/> is a safe relative key, or the reason it is not.</summary>
    public static string? Check(string key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return "the key is empty";
        }

        if (key.Contains('\0', StringComparison.Ordinal))
        {
            return "the key contains NUL";
        }

        if (HasLoneSurrogate(key))
        {
            return "the key is not valid UTF-8, so it cannot be a file name or an object key that round-trips";
        }

        if (key.Contains('\\', StringComparison.Ordinal))
        {
            return "the key contains a backslash";
        }

        if (key[0] == '/')
        {
            return "the key is absolute";
        }

        if (key.Length >= 2 && key[1] == ':' && char.IsAsciiLetter(key[0]))
        {
            return "the key starts with a drive letter";
        }

        foreach (var range in key.AsSpan().Split('/'))
        {
            var segment = key.AsSpan(range);
            if (segment.IsEmpty)
            {
                return key.EndsWith('/') ? "the key is a directory marker (ends with '/')" : "the key has an empty segment ('//')";
            }

            if (segment is "." or "..")
            {
                return $"the key has a '{segment}' segment";
            }

            // NAME_MAX of ext4, XFS, APFS and NTFS (in UTF-16 units there, which 255 UTF-8 bytes never exceed).
            if (System.Text.Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes)
            {
                return $"a segment is longer than {MaxSegmentBytes} bytes, the longest file name common file systems allow";
            }
        }

        return null;
    }

    /// <summary>Throws <see cref="StorageException"/> (<see cref="StorageErrorKind.InvalidKey"/>) unless the key is safe.</summary>
    public static void Validate(string key)
    {
        string? reason = Check(key);
        if (reason is not null)
        {
            throw new StorageException(StorageErrorKind.InvalidKey, $"Refused key '{Printable(key)}': {reason}.");
        }
    }

    /// <summary>True when the key holds a UTF-16 surrogate without its pair: what bytes that were not valid UTF-8 decode to.</summary>
    internal static bool HasLoneSurrogate(string key)
    {
        for (int i = 0; i < key.Length; i++)
        {
            if (char.IsHighSurrogate(key[i]) && i + 1 < key.Length && char.IsLowSurrogate(key[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(key[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The key as one safe line of text: control characters (which could rewrite a terminal) and lone surrogates (bytes
    /// that were not valid UTF-8) as <c>\uXXXX</c>; everything else, emoji included, as it is.
    /// </summary>
    public static string Printable(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Any(c => char.IsControl(c) || char.IsSurrogate(c)))
        {
            return key;
        }

        var text = new System.Text.StringBuilder(key.Length + 16);
        for (int i = 0; i < key.Length; i++)
        {
            if (char.IsSurrogatePair(key, i))
            {
                text.Append(key, i++, 2);
            }
            else if (char.IsControl(key[i]) || char.IsSurrogate(key[i]))
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)key[i]:x4}");
            }
            else
            {
                text.Append(key[i]);
            }
        }

        return text.ToString();
    }
}
