// Shared source: compiled into SyncTooling (public), SyncTooling.Build and SyncTooling.Analyzers
// (internal). It must stay netstandard2.0-compatible and free of I/O: no file system, no environment.
using System;
using System.Collections.Generic;
using System.Globalization;

namespace SyncTooling.Validation;

/// <summary>The parts of a storage location, split by <see cref="StorageUriGrammar.TryParse"/> without touching any I/O.</summary>
#if SYNCTOOLING_PUBLIC
public
#else
internal
#endif
sealed class StorageUriParts
{
    internal StorageUriParts(string scheme, string? authority, string path, IReadOnlyList<KeyValuePair<string, string>> query, bool isPlainPath)
    {
        Scheme = scheme;
        Authority = authority;
        Path = path;
        Query = query;
        IsPlainPath = isPlainPath;
    }

    /// <summary>Lower-case scheme: <c>file</c>, <c>memory</c>, <c>s3</c>, <c>gs</c>, <c>hdfs</c>, <c>az</c>, <c>abfs</c> or <c>abfss</c>.</summary>
    public string Scheme { get; }

    /// <summary>Bucket (s3, gs), container or container@account-host (az, abfs, abfss), host:port (hdfs), store name (memory); null for local paths.</summary>
    public string? Authority { get; }

    /// <summary>For local paths the path as written (OS separators); otherwise the key prefix without leading or trailing '/'.</summary>
    public string Path { get; }

    /// <summary>Query options in the order written, names lower-case, values unescaped.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Query { get; }

    /// <summary>True when the location was written as a plain path rather than a <c>file://</c> URI.</summary>
    public bool IsPlainPath { get; }
}

/// <summary>The grammar of storage locations: plain paths, <c>file://</c>, <c>memory://</c>, <c>s3://</c>, <c>gs://</c>, <c>hdfs://</c>, <c>az://</c>, <c>abfs[s]://</c>.</summary>
#if SYNCTOOLING_PUBLIC
public
#else
internal
#endif
static partial class StorageUriGrammar
{
    /// <summary>The list printed in every error about an unsupported location.</summary>
    public const string SupportedForms =
        "a local path, file:///path, memory://name/path, s3://bucket/prefix, gs://bucket/prefix, hdfs://host:port/path, " +
        "az://container/prefix, abfs[s]://container@account.dfs.core.windows.net/prefix";

    /// <summary>Query options that carry secrets; they are redacted whenever a location is shown.</summary>
    public static readonly string[] SecretOptions = { "access_key", "secret_key", "session_token", "account_key", "sas_token", "sig", "connection_string" };

    private static readonly string[] S3Options =
    {
        "region", "endpoint_override", "scheme", "force_path_style", "request_checksum_calculation", "profile", "disable_checksum",
        "access_key", "secret_key", "session_token",
    };

    private static readonly string[] HdfsOptions = { "user", "scheme" };

    private static readonly string[] AzureOptions = { "account", "endpoint", "account_key", "sas_token" };

    /// <summary>Query options accepted by a scheme (empty when the scheme takes none).</summary>
    public static IReadOnlyList<string> OptionsFor(string scheme) => scheme switch
    {
        "s3" or "gs" => S3Options,
        "hdfs" => HdfsOptions,
        "az" or "abfs" or "abfss" => AzureOptions,
        _ => Array.Empty<string>(),
    };

    /// <summary>
    /// The scheme to write for a well-known alias: Hadoop's S3 connectors <c>s3a</c> and <c>s3n</c> name <c>s3</c>,
    /// gcsfs's <c>gcs</c> names <c>gs</c>. Null for any other scheme.
    /// </summary>
    public static string? SchemeForAlias(string scheme) => scheme switch
    {
        "s3a" or "s3n" => "s3",
        "gcs" => "gs",
        _ => null,
    };

    /// <summary>True for object stores in the cloud, where checkpoints are always uploaded.</summary>
    public static bool IsCloudScheme(string scheme) => scheme is "s3" or "gs" || IsAzureScheme(scheme);

    /// <summary>True for Azure Blob Storage: <c>az</c>, and adlfs's <c>abfs</c> and <c>abfss</c>.</summary>
    public static bool IsAzureScheme(string scheme) => scheme is "az" or "abfs" or "abfss";

    /// <summary>
    /// Splits an Azure authority, <c>container</c> or <c>container@account.dfs.core.windows.net</c>, into the
    /// container and the storage account name (null when the authority names no account).
    /// </summary>
    public static void SplitAzureAuthority(string authority, out string container, out string? account)
    {
        int at = authority.IndexOf('@');
        container = at < 0 ? authority : authority.Substring(0, at);
        if (at < 0)
        {
            account = null;
            return;
        }

        string host = authority.Substring(at + 1);
        int dot = host.IndexOf('.');
        account = dot < 0 ? host : host.Substring(0, dot);
    }

    /// <summary>
    /// Checks an Azure container name against the service's rules; returns null when valid, or a sentence
    /// saying what is wrong.
    /// </summary>
    public static string? CheckContainerName(string container)
    {
        if (container.Length < 3 || container.Length > 63)
        {
            return "container names are 3 to 63 characters long";
        }

        foreach (char c in container)
        {
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            {
                return "container names use only lower-case letters, digits and '-'";
            }
        }

        if (container[0] == '-' || container[container.Length - 1] == '-')
        {
            return "container names start and end with a letter or digit";
        }

        return container.IndexOf("--", StringComparison.Ordinal) >= 0 ? "container names do not contain '--'" : null;
    }

    /// <summary>Splits <paramref name="value"/> into its parts, or explains in one sentence why it is not a storage location.</summary>
    public static bool TryParse(string? value, out StorageUriParts? parts, out string? error)
    {
        parts = null;
        error = null;
        if (value is null || value.Trim().Length == 0)
        {
            error = "The storage location is empty. Supported: " + SupportedForms + ".";
            return false;
        }

        var text = value;
        int schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0 || LooksLikeWindowsDrive(text))
        {
            if (text.IndexOf('\0') >= 0)
            {
                error = Fail(value, "it contains a NUL character");
                return false;
            }

            // A plain local path. A colon before any slash (e.g. "s3:bucket") is a typo'd URI, not a path.
            int colon = text.IndexOf(':');
            int slash = text.IndexOfAny(new[] { '/', '\\' });
            if (colon > 0 && (slash < 0 || colon < slash) && !LooksLikeWindowsDrive(text))
            {
                error = Fail(value, "'" + Redact(text.Substring(0, colon)) + ":' is not a scheme; write scheme://");
                return false;
            }

            parts = new StorageUriParts("file", null, text, Array.Empty<KeyValuePair<string, string>>(), isPlainPath: true);
            return true;
        }

        string scheme = text.Substring(0, schemeEnd);
        if (scheme.Length == 0 || !IsSchemeToken(scheme))
        {
            // Not quoted: the text before "://" can be anything, a secret included; the location is quoted (redacted) already.
            error = Fail(value, "the text before '://' is not a scheme (a letter, then letters, digits, '+', '-' or '.')");
            return false;
        }

        if (!string.Equals(scheme, scheme.ToLowerInvariant(), StringComparison.Ordinal))
        {
            error = Fail(value, "schemes are lower case; write '" + scheme.ToLowerInvariant() + "://'");
            return false;
        }

        string rest = text.Substring(schemeEnd + 3);
        string queryText = string.Empty;
        int q = rest.IndexOf('?');
        if (q >= 0)
        {
            queryText = rest.Substring(q + 1);
            rest = rest.Substring(0, q);
        }

        switch (scheme)
        {
            case "file":
                return ParseFile(value, rest, queryText, out parts, out error);
            case "memory":
            case "s3":
            case "gs":
            case "hdfs":
            case "az":
            case "abfs":
            case "abfss":
                return ParseAuthorityUri(value, scheme, rest, queryText, out parts, out error);
            default:
                error = Fail(value, SchemeForAlias(scheme) is { } known
                    ? "'" + scheme + "://' is another tool's name for " + known + "://; write '" + known + "://'"
                    : "unknown scheme '" + scheme + "'");
                return false;
        }
    }

    /// <summary>Appends a relative child path, keeping any query options at the end (Ray put them in the middle).</summary>
    public static string Join(string location, string child)
    {
        if (child is null)
        {
            throw new ArgumentNullException(nameof(child));
        }

        string query = string.Empty;
        int schemeEnd = location.IndexOf("://", StringComparison.Ordinal);
        int q = schemeEnd < 0 ? -1 : location.IndexOf('?', schemeEnd);
        string head = location;
        if (q >= 0)
        {
            query = location.Substring(q);
            head = location.Substring(0, q);
        }

        string trimmedChild = child.Trim('/');
        if (trimmedChild.Length == 0)
        {
            return location;
        }

        return head.TrimEnd('/') + "/" + trimmedChild + query;
    }

    /// <summary>
    /// Checks a bucket name against the rules S3 (and GCS, for <c>gs</c>) enforce; returns null when valid,
    /// or a sentence saying what is wrong.
    /// </summary>
    public static string? CheckBucketName(string scheme, string bucket)
    {
        if (IsAzureScheme(scheme))
        {
            SplitAzureAuthority(bucket, out string container, out _);
            return CheckContainerName(container);
        }

        int max = scheme == "gs" && bucket.IndexOf('.') >= 0 ? 222 : 63;
        if (bucket.Length < 3 || bucket.Length > max)
        {
            return "bucket names are 3 to " + max.ToString(CultureInfo.InvariantCulture) + " characters long";
        }

        foreach (char c in bucket)
        {
            bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || (scheme == "gs" && c == '_');
            if (!ok)
            {
                return scheme == "gs"
                    ? "bucket names use only lower-case letters, digits, '-', '_' and '.'"
                    : "bucket names use only lower-case letters, digits, '-' and '.'";
            }
        }

        if (!char.IsLetterOrDigit(bucket[0]) || !char.IsLetterOrDigit(bucket[bucket.Length - 1]))
        {
            return "bucket names start and end with a letter or digit";
        }

        if (bucket.IndexOf("..", StringComparison.Ordinal) >= 0)
        {
            return "bucket names do not contain '..'";
        }

        if (LooksLikeIpAddress(bucket))
        {
            return "bucket names are not IP addresses";
        }

        return null;
    }

    private static bool ParseFile(string value, string rest, string queryText, out StorageUriParts? parts, out string? error)
    {
        parts = null;
        error = null;
        if (queryText.Length > 0)
        {
            error = Fail(value, "file:// takes no query options");
            return false;
        }

        // file:///abs/path has an empty host; file://localhost/abs/path is the same thing.
        string path;
        if (rest.StartsWith("/", StringComparison.Ordinal))
        {
            path = rest;
        }
        else if (rest.StartsWith("localhost/", StringComparison.OrdinalIgnoreCase))
        {
            path = rest.Substring("localhost".Length);
        }
        else
        {
            error = Fail(value, "file URIs are absolute: file:///path (a host other than localhost is not supported)");
            return false;
        }

        // file:///C:/dir on Windows.
        if (path.Length >= 3 && path[0] == '/' && LooksLikeWindowsDrive(path.Substring(1)))
        {
            path = path.Substring(1);
        }

        // Checked after decoding: %00 is a NUL too, and no file system takes one.
        path = Uri.UnescapeDataString(path);
        if (path.IndexOf('\0') >= 0)
        {
            error = Fail(value, "it contains a NUL character");
            return false;
        }

        parts = new StorageUriParts("file", null, path, Array.Empty<KeyValuePair<string, string>>(), isPlainPath: false);
        return true;
    }

    private static bool ParseAuthorityUri(string value, string scheme, string rest, string queryText, out StorageUriParts? parts, out string? error)
    {
        parts = null;
        error = null;
        // Redaction hides such a part up to the next ';' or '&', across '/': refused, so what is shown stays the same location.
        if (HasConnectionStringSecret(rest))
        {
            error = Fail(value, "an Azure connection string's AccountKey= or SharedAccessSignature= does not belong in the location; set AZURE_STORAGE_CONNECTION_STRING");
            return false;
        }

        int slash = rest.IndexOf('/');
        string authority = slash < 0 ? rest : rest.Substring(0, slash);
        string path = slash < 0 ? string.Empty : rest.Substring(slash + 1);

        if (authority.Length == 0)
        {
            error = scheme switch
            {
                "hdfs" => Fail(value, "hdfs:// needs a namenode: hdfs://host:port/path"),
                "memory" => Fail(value, "memory:// needs a store name: memory://name/path"),
                "az" => Fail(value, "az:// needs a container: az://container/prefix"),
                "abfs" or "abfss" => Fail(value, scheme + ":// needs a container: " + scheme + "://container@account.dfs.core.windows.net/prefix"),
                _ => Fail(value, scheme + ":// needs a bucket: " + scheme + "://bucket/prefix"),
            };
            return false;
        }

        // A bucket, container, store or host never holds a control character or half of a surrogate pair; one that
        // did would reach backends and their messages as it is.
        foreach (char c in authority)
        {
            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                error = Fail(value, "the " + (scheme == "hdfs" ? "host" : IsAzureScheme(scheme) ? "container" : scheme == "memory" ? "store name" : "bucket") + " holds a control character or invalid text");
                return false;
            }
        }

        if (IsAzureScheme(scheme))
        {
            // container@account.dfs.core.windows.net (adlfs) is a host, not user info; user:password@ is refused there.
            if (CheckAzureAuthority(scheme, authority) is { } azureError)
            {
                error = Fail(value, azureError);
                return false;
            }
        }
        else if (authority.IndexOf('@') >= 0)
        {
            error = Fail(value, scheme == "hdfs"
                ? "credentials do not belong in the location; hdfs:// takes the user as ?user=NAME"
                : "credentials do not belong in the location; use the standard credential chain");
            return false;
        }

        if (scheme == "hdfs" && CheckHostPort(authority) is { } hostError)
        {
            error = Fail(value, "'" + authority + "' is not host:port: " + hostError);
            return false;
        }

        if (path.IndexOf('\0') >= 0)
        {
            error = Fail(value, "it contains a NUL character");
            return false;
        }

        path = path.Trim('/');
        if (path.IndexOf("//", StringComparison.Ordinal) >= 0)
        {
            error = Fail(value, "the path has an empty segment ('//')");
            return false;
        }

        foreach (string segment in path.Split('/'))
        {
            if (segment == "." || segment == "..")
            {
                error = Fail(value, "the path has a '" + segment + "' segment");
                return false;
            }
        }

        if (!ParseQuery(value, scheme, queryText, out var query, out error))
        {
            return false;
        }

        if (IsAzureScheme(scheme) && authority.IndexOf('@') >= 0 && query.Exists(o => o.Key == "account"))
        {
            error = Fail(value, "the account is named twice, after '@' and in option 'account'; keep one");
            return false;
        }

        parts = new StorageUriParts(scheme, authority, path, query, isPlainPath: false);
        return true;
    }

    private static bool ParseQuery(string value, string scheme, string queryText, out List<KeyValuePair<string, string>> query, out string? error)
    {
        query = new List<KeyValuePair<string, string>>();
        error = null;
        if (queryText.Length == 0)
        {
            return true;
        }

        if (queryText.IndexOf('#') >= 0)
        {
            error = Fail(value, "'#' would start a URI fragment, which locations do not have; write it as %23 in an option value");
            return false;
        }

        if (queryText.IndexOf('?') >= 0)
        {
            error = Fail(value, "the query has a second '?'; options are separated by '&' (write %3F in an option value)");
            return false;
        }

        var allowed = OptionsFor(scheme);
        string? previousSecret = null;
        foreach (string pair in queryText.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            int eq = pair.IndexOf('=');
            string name = DecodeName(eq < 0 ? pair : pair.Substring(0, eq));
            string optionValue = eq < 0 ? string.Empty : DecodeValue(pair.Substring(eq + 1));
            if (HasControlCharacter(name))
            {
                error = Fail(value, "an option name contains a control character");
                return false;
            }

            if (Array.IndexOf((string[])allowed, name) < 0)
            {
                // A bare word after a secret is most likely the secret's tail cut off by an unescaped '&': never echo it.
                error = allowed.Count == 0
                    ? Fail(value, scheme + ":// takes no query options")
                    : eq < 0 && previousSecret != null
                        ? Fail(value, "the value of '" + previousSecret + "' is followed by a word that is no option; a secret containing '&' or '#' must be written with %26 or %23")
                        : Fail(value, "unknown option '" + name + "'; " + scheme + ":// accepts " + string.Join(", ", allowed));
                return false;
            }

            previousSecret = Array.IndexOf(SecretOptions, name) >= 0 ? name : null;

            string? valueError = CheckOptionValue(name, optionValue);
            if (valueError != null)
            {
                error = Fail(value, valueError);
                return false;
            }

            foreach (var existing in query)
            {
                if (existing.Key == name)
                {
                    error = Fail(value, "option '" + name + "' is given twice");
                    return false;
                }
            }

            query.Add(new KeyValuePair<string, string>(name, optionValue));
        }

        return true;
    }

    private static string? CheckOptionValue(string name, string value)
    {
        if (HasControlCharacter(value))
        {
            return "option '" + name + "' contains a control character";
        }

        // Shown options never carry a secret: an Azure connection string's key or signature in one is refused, not shown.
        if (Array.IndexOf(ShownOptions, name) >= 0 && HasConnectionStringSecret(value))
        {
            return "option '" + name + "' holds an Azure connection string's AccountKey= or SharedAccessSignature=; keep secrets out of the location";
        }

        switch (name)
        {
            case "endpoint_override":
                return CheckEndpoint(value) is { } endpointError
                    ? "option 'endpoint_override' is host[:port] or http(s)://host[:port] ([::1]:9000 for IPv6), not '" + RedactUserInfo(value, null) + "': " + endpointError
                    : null;
            case "region":
                // The SDK throws on anything else when it builds the client, long after the location was accepted.
                return value.Length == 0 ? "option 'region' needs a value"
                    : IsRegionName(value) ? null
                    : "option 'region' is a name such as us-east-1 (letters, digits and '-', not at either end), not '" + value + "'";
            case "scheme":
                return value is "http" or "https" ? null : "option 'scheme' is http or https, not '" + value + "'";
            case "force_path_style":
                return value is "true" or "false" ? null : "option 'force_path_style' is true or false, not '" + value + "'";
            case "disable_checksum":
                return value is "true" or "false" ? null : "option 'disable_checksum' is true or false, not '" + value + "'";
            case "request_checksum_calculation":
                return value is "when_required" or "when_supported"
                    ? null
                    : "option 'request_checksum_calculation' is when_required or when_supported, not '" + value + "'";
            case "account":
                return IsAccountName(value) ? null : "option 'account' is a storage account name (3 to 24 lower-case letters and digits), not '" + value + "'";
            case "endpoint":
                // A full URL: the account may be its first path segment (Azurite). Shown redacted: a connection string may be pasted here.
                string? blobEndpointError = value.StartsWith("http://", StringComparison.Ordinal) || value.StartsWith("https://", StringComparison.Ordinal)
                    ? CheckEndpoint(value)
                    : "it does not start with http:// or https://";
                return blobEndpointError is null
                    ? null
                    : "option 'endpoint' is the blob service URL (http:// or https://, e.g. http://127.0.0.1:10000/devstoreaccount1), not '" +
                      MaskConnectionStringSecrets(RedactUserInfo(value, null), null) + "': " + blobEndpointError;
            default:
                return value.Length == 0 ? "option '" + name + "' needs a value" : null;
        }
    }

    // container, or container@account.dfs.core.windows.net (adlfs); user:password@ never. Null when valid.
    private static string? CheckAzureAuthority(string scheme, string authority)
    {
        int at = authority.IndexOf('@');
        if (at < 0)
        {
            return null;
        }

        // Up to the last '@', as redaction reads user info: a ':' there is a password, never shown.
        if (authority.LastIndexOf(':', authority.LastIndexOf('@')) >= 0)
        {
            return "credentials do not belong in the location; use the standard credential chain";
        }

        SplitAzureAuthority(authority, out string container, out string? account);

        string host = authority.Substring(at + 1);
        if (container.Length == 0 || account is null || !IsAccountName(account) || host.IndexOf('@') >= 0 || CheckHostPort(host) is not null)
        {
            return "'" + authority + "' is not container@account.dfs.core.windows.net (" + scheme +
                "://container@account.dfs.core.windows.net/prefix; account names are 3 to 24 lower-case letters and digits)";
        }

        return null;
    }

    private static bool IsAccountName(string account)
    {
        if (account.Length < 3 || account.Length > 24)
        {
            return false;
        }

        foreach (char c in account)
        {
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasControlCharacter(string text)
    {
        foreach (char c in text)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    // Names and values are percent-decoded once; a malformed escape (%4, %zz) stays as written.
    private static string DecodeName(string raw) => Uri.UnescapeDataString(raw).ToLowerInvariant();

    private static string DecodeValue(string raw) => Uri.UnescapeDataString(raw.Replace('+', ' '));

    private static bool IsSchemeToken(string scheme)
    {
        if (!char.IsLetter(scheme[0]))
        {
            return false;
        }

        foreach (char c in scheme)
        {
            if (!(char.IsLetterOrDigit(c) || c == '+' || c == '-' || c == '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool LooksLikeWindowsDrive(string text) =>
        text.Length >= 3 && char.IsLetter(text[0]) && text[1] == ':' && (text[2] == '\\' || text[2] == '/');

    private static bool LooksLikeIpAddress(string text)
    {
        string[] octets = text.Split('.');
        if (octets.Length != 4)
        {
            return false;
        }

        foreach (string octet in octets)
        {
            if (!int.TryParse(octet, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n > 255)
            {
                return false;
            }
        }

        return true;
    }

    private static string Fail(string value, string reason) =>
        "'" + Printable(Redact(value)) + "' is not a supported storage location: " + Printable(MaskConnectionStringSecrets(reason, null)) + ". Supported: " + SupportedForms + ".";
}
