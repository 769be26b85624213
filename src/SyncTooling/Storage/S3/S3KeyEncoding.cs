using System.Text;

namespace SyncTooling.Storage.S3;

/// <summary>
/// Keys of listings requested with <c>encoding-type=url</c>, which S3 servers answer with every key percent-encoded
/// (and a space as '+', as HTML forms do), so a key with a control character never breaks the XML. AWSSDK.S3 4.0
/// hands such keys back still encoded; they are decoded here, once.
/// </summary>
internal static class S3KeyEncoding
{
    /// <summary>
    /// Decodes a url-encoded key. Bytes that are not valid UTF-8 become U+DC80..U+DCFF (one lone low surrogate per byte,
    /// as Python's "surrogateescape"), so the key stays distinct and <see cref="StorageKey.Check"/> refuses it.
    /// </summary>
    public static string Decode(string encoded)
    {
        if (encoded.AsSpan().IndexOfAny('%', '+') < 0)
        {
            return encoded;
        }

        var bytes = new List<byte>(encoded.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < encoded.Length; i++)
        {
            char c = encoded[i];
            if (c == '+')
            {
                bytes.Add((byte)' ');
            }
            else if (c == '%' && i + 2 < encoded.Length && IsHex(encoded, i + 1))
            {
                bytes.Add(Convert.FromHexString(encoded.AsSpan(i + 1, 2))[0]);
                i += 2;
            }
            else
            {
                // Characters a server left unencoded (allowed by the API for unreserved ones) are taken as they are.
                AddUtf8(bytes, utf8, char.IsSurrogatePair(encoded, i) ? char.ConvertToUtf32(encoded[i], encoded[++i]) : c);
            }
        }

        return DecodeUtf8(bytes.ToArray());
    }

    /// <summary>
    /// True when the key can be written into an XML 1.0 document as it is (DeleteObjects): no control character but
    /// tab and newline (a CR would be read back as LF), no lone surrogate, no U+FFFE/U+FFFF.
    /// </summary>
    public static bool IsXmlSafe(string key) =>
        !StorageKey.HasLoneSurrogate(key) && !key.Any(c => (c < ' ' && c != '\t' && c != '\n') || c is '\uFFFE' or '\uFFFF');

    /// <summary>The bytes a decoded key stands for: its UTF-8, with each escaped invalid byte restored (see <see cref="Decode"/>).</summary>
    public static byte[] RawBytes(string key)
    {
        var bytes = new List<byte>(key.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < key.Length; i++)
        {
            if (char.IsSurrogatePair(key, i))
            {
                AddUtf8(bytes, utf8, char.ConvertToUtf32(key[i], key[++i]));
            }
            else if (key[i] is >= '\uDC80' and <= '\uDCFF')
            {
                bytes.Add((byte)(key[i] - '\uDC00'));
            }
            else
            {
                AddUtf8(bytes, utf8, key[i]);
            }
        }

        return [.. bytes];
    }

    private static void AddUtf8(List<byte> bytes, Span<byte> buffer, int scalar)
    {
        int length = new Rune(scalar).EncodeToUtf8(buffer);
        for (int b = 0; b < length; b++)
        {
            bytes.Add(buffer[b]);
        }
    }

    private static string DecodeUtf8(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length);
        var rest = bytes.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(rest, out var rune, out int consumed) == System.Buffers.OperationStatus.Done)
            {
                text.Append(rune.ToString());
                rest = rest[consumed..];
            }
            else
            {
                text.Append((char)(0xDC00 + rest[0]));
                rest = rest[1..];
            }
        }

        return text.ToString();
    }

    private static bool IsHex(string text, int at) => char.IsAsciiHexDigit(text[at]) && char.IsAsciiHexDigit(text[at + 1]);
}
