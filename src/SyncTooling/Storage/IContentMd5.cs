namespace SyncTooling.Storage;

/// <summary>
/// Implemented by a stream from <see cref="IStorage.OpenReadAsync"/> whose response says more about the content's
/// MD5 than the listing did: an S3 GET tells whether the ETag is an MD5 at all (not for SSE-KMS or SSE-C
/// objects) and carries the uploader's whole-file MD5 in metadata.
/// </summary>
internal interface IContentMd5
{
    /// <summary>The lower-case hex MD5 the content must have, given the one the listing showed; null when none is known.</summary>
    string? ExpectedMd5(string? listedMd5);
}
