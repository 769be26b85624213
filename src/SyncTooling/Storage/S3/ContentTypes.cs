namespace SyncTooling.Storage.S3;

/// <summary>
/// The Content-Type an upload gets from its file extension: a small built-in table of the common web, data and
/// archive types (the core stays dependency-free), <c>application/octet-stream</c> for everything else and for
/// files without an extension, as rclone and aws-cli send.
/// </summary>
internal static class ContentTypes
{
    /// <summary>The type for unknown extensions and extensionless files.</summary>
    public const string Default = "application/octet-stream";

    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".txt"] = "text/plain; charset=utf-8",
        [".log"] = "text/plain; charset=utf-8",
        [".md"] = "text/markdown; charset=utf-8",
        [".csv"] = "text/csv; charset=utf-8",
        [".tsv"] = "text/tab-separated-values; charset=utf-8",
        [".html"] = "text/html; charset=utf-8",
        [".htm"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".mjs"] = "text/javascript; charset=utf-8",
        [".xml"] = "application/xml",
        [".json"] = "application/json",
        [".jsonl"] = "application/jsonl",
        [".yaml"] = "application/yaml",
        [".yml"] = "application/yaml",
        [".toml"] = "application/toml",
        [".pdf"] = "application/pdf",
        [".wasm"] = "application/wasm",
        [".zip"] = "application/zip",
        [".gz"] = "application/gzip",
        [".tgz"] = "application/gzip",
        [".tar"] = "application/x-tar",
        [".bz2"] = "application/x-bzip2",
        [".xz"] = "application/x-xz",
        [".zst"] = "application/zstd",
        [".7z"] = "application/x-7z-compressed",
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".webp"] = "image/webp",
        [".svg"] = "image/svg+xml",
        [".ico"] = "image/x-icon",
        [".bmp"] = "image/bmp",
        [".tif"] = "image/tiff",
        [".tiff"] = "image/tiff",
        [".mp3"] = "audio/mpeg",
        [".wav"] = "audio/wav",
        [".ogg"] = "audio/ogg",
        [".mp4"] = "video/mp4",
        [".webm"] = "video/webm",
        [".mov"] = "video/quicktime",
        [".woff"] = "font/woff",
        [".woff2"] = "font/woff2",
    };

    /// <summary>The Content-Type for <paramref name="key"/> (only its last segment's extension counts).</summary>
    public static string For(string key)
    {
        string name = key[(key.LastIndexOf('/') + 1)..];
        int dot = name.LastIndexOf('.');
        return dot > 0 && ByExtension.TryGetValue(name[dot..], out string? type) ? type : Default;
    }
}
