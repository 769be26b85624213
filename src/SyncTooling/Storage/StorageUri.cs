using SyncTooling.Validation;

namespace SyncTooling.Storage;

/// <summary>
/// A parsed storage location: a local directory, <c>file://</c>, <c>memory://</c>, <c>s3://bucket/prefix</c>,
/// <c>gs://bucket/prefix</c> or <c>hdfs://host:port/path</c>, with query options such as
/// <c>?endpoint_override=127.0.0.1:4568&amp;region=us-east-1&amp;scheme=http</c>.
/// </summary>
/// <remarks><see cref="ToString"/> redacts secrets, so a location can be logged or shown safely.</remarks>
public sealed class StorageUri : IEquatable<StorageUri>
{
    private StorageUri(StorageUriParts parts, string path)
    {
        Scheme = parts.Scheme;
        Authority = parts.Authority;
        Path = path;
        Options = parts.Query.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    /// <summary>Lower-case scheme: <c>file</c>, <c>memory</c>, <c>s3</c>, <c>gs</c>, <c>hdfs</c>, <c>az</c>, <c>abfs</c> or <c>abfss</c>.</summary>
    public string Scheme { get; }

    /// <summary>Bucket (s3, gs), container or container@account-host (az, abfs, abfss), host:port (hdfs), store name (memory); null for local directories.</summary>
    public string? Authority { get; }

    /// <summary>For <c>file</c>, the absolute local path; otherwise the key prefix, without leading or trailing '/'.</summary>
    public string Path { get; }

    /// <summary>Query options, names lower case, values unescaped.</summary>
    public IReadOnlyDictionary<string, string> Options { get; }

    /// <summary>True for a local directory.</summary>
    public bool IsLocal => Scheme == "file";

    /// <summary>True for cloud object storage (s3, gs, az, abfs, abfss).</summary>
    public bool IsCloud => StorageUriGrammar.IsCloudScheme(Scheme);

    /// <summary>
    /// Parses a location. Relative local paths resolve against the current directory and <c>~/</c> against
    /// the user's home.
    /// </summary>
    /// <exception cref="FormatException">The location is malformed or its scheme is unsupported; the message names the supported forms.</exception>
    public static StorageUri Parse(string location)
    {
        if (!TryParse(location, out var uri, out string? error))
        {
            throw new FormatException(error);
        }

        return uri!;
    }

    /// <summary>Parses a location, or returns false with a one-line explanation.</summary>
    public static bool TryParse(string? location, out StorageUri? uri, out string? error)
    {
        uri = null;
        if (!StorageUriGrammar.TryParse(location, out var parts, out error))
        {
            return false;
        }

        string path = parts!.Path;
        if (parts.Scheme == "file")
        {
            if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
            {
                path = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : string.Empty);
            }

            path = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));
        }

        uri = new StorageUri(parts, path);
        return true;
    }

    /// <summary>Returns an option's value, or null when it was not given.</summary>
    public string? GetOption(string name) => Options.TryGetValue(name, out string? value) ? value : null;

    /// <summary>The location of a child path below this one; query options stay at the end.</summary>
    public StorageUri Join(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        if (IsLocal)
        {
            return Parse(System.IO.Path.Combine(Path, relativePath.Replace('/', System.IO.Path.DirectorySeparatorChar)));
        }

        return Parse(StorageUriGrammar.Join(ToUnredactedString(), relativePath));
    }

    /// <summary>The canonical form with secrets in it, for handing to a syncer or backend; never log it (use <see cref="ToString"/>).</summary>
    public string ToUnredactedString()
    {
        if (IsLocal)
        {
            return Path;
        }

        string text = Scheme + "://" + Authority + (Path.Length > 0 ? "/" + Path : string.Empty);
        if (Options.Count > 0)
        {
            text += "?" + string.Join("&", Options.Select(o => o.Key + "=" + EscapeQueryValue(o.Value)));
        }

        return text;
    }

    // Keeps host:port and URLs readable; escapes only what would break the query.
    private static string EscapeQueryValue(string value) =>
        string.Concat(value.Select(c => c is '&' or '=' or '%' or '#' or '+' or ' ' || char.IsControl(c) ? Uri.EscapeDataString(c.ToString()) : c.ToString()));

    /// <summary>The canonical form with secret options and passwords replaced by <c>***</c>.</summary>
    public override string ToString() => StorageUriGrammar.Redact(ToUnredactedString());

    /// <inheritdoc />
    public bool Equals(StorageUri? other) =>
        other is not null && string.Equals(ToUnredactedString(), other.ToUnredactedString(), StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as StorageUri);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToUnredactedString());
}
