using CsCheck;

namespace SyncTooling.Tests.Fuzz;

/// <summary>
/// Generators that aim at the edges on purpose: pieces of locations and patterns (ports out of range, IPv6 forms,
/// percent-escapes valid and broken, secret option spellings, brackets) glued together at random, mixed with
/// arbitrary strings including control characters and lone surrogates.
/// </summary>
public static class FuzzInputs
{
    private static readonly string[] LocationPieces =
    [
        "s3://", "gs://", "hdfs://", "memory://", "file://", "file:///", "S3://", "ftp://", "s3:", "://", "s3a://",
        "bucket", "my-bucket", "b", "nn", "localhost", "127.0.0.1", "256.1.1.1", "[::1]", "::1", "[fe80::1%25eth0]", "[fe80::1%eth0]",
        "[::1", "::1]", "[]", "[zz]", "user:pass@", "@", "u@", ":9000", ":0", ":-1", ":65535", ":65536", ":99999999999999999999",
        ":", ":abc", ":+80", ": 80", "/", "//", "/a", "/..", "/.", "/a%2Fb", "/%00", "\\", "/x y", "~", "~/", "C:\\", "C:/",
        "?", "&", "=", "#", "region=", "secret_key=", "secret%5Fkey=", "%73ecret_key=", "Secret_Key=", "SECRET_KEY=",
        "access_key=", "session_token=", "secret%255Fkey=", "endpoint_override=", "endpoint_override=http://user:password@host:9000",
        "endpoint_override=[::1]:9000", "endpoint_override=::1:9000", "endpoint_override=h:0", "endpoint_override=https://h/p",
        "scheme=http", "scheme=ftp", "force_path_style=true", "user=alice", "request_checksum_calculation=when_required", "bogus=",
        "az://", "abfs://", "abfss://", "runs", "runs@acct1.dfs.core.windows.net", "c@acct1", "c@Acct", "@acct1.dfs.core.windows.net",
        "u:p@acct1.dfs.core.windows.net", "account=acct1", "account=", "endpoint=http://127.0.0.1:10000/devstoreaccount1",
        "endpoint=127.0.0.1:10000", "endpoint=http://[::1]:10000/a", "account_key=", "sas_token=", "sig=", "connection_string=",
        "AccountKey=", "SharedAccessSignature=", ";",
        "v", "S3CR3T", "%4", "%zz", "%", "%00", "%2F", "%41", "%C3%28", "%E2%82", "+", "%26", "%3D", "%23", "%0A",
        "\0", "\n", "\r", "\t", "\u001b", "\u00e9", "\ud800", "\udc00", "\ud83d\ude00", "\u0130", " ", "..", ".",
    ];

    private static readonly string[] PatternPieces =
    [
        "*", "**", "?", "[", "]", "!", "-", "^", "\\", "a", "b", "z", "A", "0", "/", ".", "[z-a]", "[a-z]", "[!", "[]", "[!]",
        "[]]", "[!]]", "[a-]", "[--z]", "[a-c-e]", "[^a]", "[[]", "[\\]", "(", ")", "|", "{", "}", "$", "+", "&&", "~~",
        "[[:alpha:]]", "\0", "\n", "\ud83d\ude00", "\ud800", "\u00e9", " ", "logs/", "*.tmp", "(?", "\\d", "\\p{L}", "[a-[b]]",
    ];

    /// <summary>Pieces of locations glued together, or any string at all.</summary>
    public static Gen<string> Location { get; } = Gen.Frequency(
        (6, Gen.OneOf(LocationPieces).Array[0, 14].Select(string.Concat)),
        (2, Gen.String),
        (1, Gen.Char.Array[0, 40].Select(chars => new string(chars))));

    /// <summary>Pieces of fnmatch patterns glued together, or any string at all.</summary>
    public static Gen<string> Pattern { get; } = Gen.Frequency(
        (6, Gen.OneOf(PatternPieces).Array[0, 10].Select(string.Concat)),
        (2, Gen.String),
        (1, Gen.Char.Array[0, 20].Select(chars => new string(chars))));

    /// <summary>Relative keys a sync might test against a pattern, odd characters included.</summary>
    public static Gen<string> Key { get; } = Gen.Frequency(
        (4, Gen.OneOf("a", "b", "z", "-", "]", "[", "^", "!", "/", ".", "\\", "tmp", "logs", "\n", "\ud83d\ude00", "\u00e9").Array[0, 8].Select(string.Concat)),
        (1, Gen.String));
}
