namespace SyncTooling.Storage;

/// <summary>
/// A backend that keeps interrupted large uploads for a rerun to continue (S3 multipart uploads, Azure uncommitted
/// blocks), recorded in the state folder. The engine calls it after the transfers of a sync, so uploads of ours
/// that will never be completed do not linger on the server.
/// </summary>
internal interface IResumableUploads
{
    /// <summary>
    /// Aborts the recorded unfinished uploads below this storage's root whose key <paramref name="stillWanted"/>
    /// rejects (its file is gone from the sync, or is unchanged on the destination already), and forgets them.
    /// Best effort: an abort that fails leaves the upload to the bucket's lifecycle rule.
    /// </summary>
    Task AbandonUploadsAsync(Func<string, bool> stillWanted, CancellationToken cancellationToken = default);
}
