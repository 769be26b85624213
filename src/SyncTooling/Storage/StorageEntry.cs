namespace SyncTooling.Storage;

/// <summary>One file in a listing.</summary>
/// <param name="Key">The path relative to the listed root, with '/' separators.</param>
/// <param name="Size">The size in bytes.</param>
/// <param name="LastModified">The modification time (for object stores, the upload time).</param>
/// <param name="Md5">The lower-case hex MD5 of the content when the listing knows it without reading the file; otherwise null.</param>
public sealed record StorageEntry(string Key, long Size, DateTimeOffset LastModified, string? Md5 = null)
{
    /// <summary>The object store's version tag (S3 ETag) when the listing has one: it changes whenever the object is written.</summary>
    public string? ETag { get; init; }
}
