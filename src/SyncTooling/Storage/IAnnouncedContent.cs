namespace SyncTooling.Storage;

/// <summary>
/// Implemented by a stream from <see cref="IStorage.OpenReadAsync"/> whose response announces its content: its
/// length before a byte is read, and an MD5 that can be better than the listing's (an S3 GET tells whether the
/// ETag is an MD5 at all, which it is not for SSE-KMS or SSE-C objects, and carries the uploader's whole-file
/// MD5 in metadata).
/// </summary>
internal interface IAnnouncedContent
{
    /// <summary>The length the response announced (its Content-Length).</summary>
    long AnnouncedLength { get; }

    /// <summary>The lower-case hex MD5 the content must have, given the one the listing showed; null when none is known.</summary>
    string? ExpectedMd5(string? listedMd5);
}
