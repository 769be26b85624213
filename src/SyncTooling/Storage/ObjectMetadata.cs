namespace SyncTooling.Storage;

/// <summary>
/// What an object store keeps beside an object's bytes, in rclone's conventions (on S3 <c>X-Amz-Meta-Mtime</c> and
/// <c>X-Amz-Meta-Md5chksum</c>), as written by this library, rclone, or neither (aws-cli writes none).
/// </summary>
/// <param name="SourceModified">The modification time of the file the object was uploaded from, when stored.</param>
/// <param name="Md5">The lower-case hex MD5 of the whole content, when stored (multipart objects, whose ETag is no MD5).</param>
public sealed record ObjectMetadata(UnixTime? SourceModified, string? Md5);

/// <summary>A stream from <see cref="IStorage.OpenReadAsync"/> that carries the metadata its response returned, so a download needs no extra request.</summary>
public interface IObjectMetadataSource
{
    /// <summary>The object's metadata.</summary>
    ObjectMetadata Metadata { get; }
}
