using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;

namespace SyncTooling.Storage.S3;

/// <summary>
/// Resuming multipart uploads: each upload is recorded in <see cref="UploadCheckpoints"/> (upload id, local size,
/// time, content MD5, part size, and each part sent). A rerun that finds a record for the same key, size, time,
/// MD5 and part size asks the server for the upload's parts (ListParts) and skips every part whose size and ETag
/// (the MD5 of its bytes) match both the record and the bytes read again; the rest is sent, and the object
/// completes as usual, with its ETag checked against all parts. Anything else starts over and aborts the old upload.
/// </summary>
public sealed partial class S3Storage : IResumableUploads
{
    private UploadCheckpoints? _checkpoints;

    private UploadCheckpoints Checkpoints => LazyInitializer.EnsureInitialized(
        ref _checkpoints,
        () => UploadCheckpoints.Open(_options.StateDirectory, "s3", $"{_endpoint.Url.Scheme}://{_endpoint.Url.Host}:{_endpoint.Url.Port}/{_endpoint.Bucket}", _options.Logger));

    /// <inheritdoc />
    async Task IResumableUploads.AbandonUploadsAsync(Func<string, bool> stillWanted, CancellationToken cancellationToken)
    {
        foreach (var checkpoint in Checkpoints.All().ToList())
        {
            if (checkpoint.Key.StartsWith(_endpoint.KeyPrefix, StringComparison.Ordinal) && !stillWanted(checkpoint.Key[_endpoint.KeyPrefix.Length..]))
            {
                cancellationToken.ThrowIfCancellationRequested();
                await AbortQuietlyAsync(checkpoint.Key, checkpoint.UploadId).ConfigureAwait(false);
                Checkpoints.Remove(checkpoint.Key);
                LogAbandoned(_options.Logger, Where(checkpoint.Key[_endpoint.KeyPrefix.Length..]));
            }
        }
    }

    /// <summary>
    /// Continues the recorded upload of <paramref name="fullKey"/> when it is of this very content, or starts a new
    /// one with <paramref name="initiate"/> (aborting a recorded one that cannot be continued).
    /// </summary>
    private async Task<ResumableParts> StartOrResumeAsync(string fullKey, string where, long length, UnixTime lastModified, string? contentMd5, Func<Task<string>> initiate, CancellationToken cancellationToken)
    {
        var store = Checkpoints;
        string modified = lastModified.ToMetadataString();
        if (store.Load(fullKey) is { } old)
        {
            if (old.Size == length && old.Modified == modified && old.ContentMd5 == contentMd5 && old.PartSize == _parts.PartSizeFor(length))
            {
                var (listed, unsupported) = await ListUploadedPartsAsync(fullKey, old.UploadId, where, cancellationToken).ConfigureAwait(false);
                if (listed is not null)
                {
                    var reusable = old.Parts
                        .Where(p => listed.TryGetValue(p.Number, out var s) && s.Size == p.Size && string.Equals(s.ETag?.Trim('"'), p.Md5, StringComparison.OrdinalIgnoreCase))
                        .ToDictionary(p => p.Number, p => (Part: p, Tag: listed[p.Number].ETag));
                    LogResumed(_options.Logger, where, reusable.Count, reusable.Values.Sum(r => r.Part.Size), length);
                    return new ResumableParts(old.UploadId, store, old with { Parts = [.. reusable.Values.Select(r => r.Part)] }, reusable, where);
                }

                if (unsupported is not null)
                {
                    LogCannotResume(_options.Logger, where, _endpoint.Url.Host, unsupported);
                }
            }
            else
            {
                LogStartedOver(_options.Logger, where);
            }

            await AbortQuietlyAsync(fullKey, old.UploadId).ConfigureAwait(false);
            store.Remove(fullKey);
        }

        string uploadId = await initiate().ConfigureAwait(false);
        var checkpoint = new UploadCheckpoint { Key = fullKey, UploadId = uploadId, Size = length, Modified = modified, ContentMd5 = contentMd5, PartSize = _parts.PartSizeFor(length) };
        store.Save(checkpoint);
        return new ResumableParts(uploadId, store, store.Enabled ? checkpoint : null, new Dictionary<int, (CheckpointPart, string)>(), where);
    }

    /// <summary>The parts on the server by number; null with the error code when the server cannot list them, null alone when the upload is gone.</summary>
    private async Task<(Dictionary<int, PartDetail>? Parts, string? Unsupported)> ListUploadedPartsAsync(string fullKey, string uploadId, string where, CancellationToken cancellationToken)
    {
        var parts = new Dictionary<int, PartDetail>();
        string? marker = null;
        do
        {
            var request = new ListPartsRequest { BucketName = _endpoint.Bucket, Key = fullKey, UploadId = uploadId, PartNumberMarker = marker };
            var (page, code) = await CallAsync(
                async ct =>
                {
                    try
                    {
                        return ((ListPartsResponse?)await _client.ListPartsAsync(request, ct).ConfigureAwait(false), (string?)null);
                    }
                    catch (AmazonS3Exception ex) when (ex.ErrorCode is "NoSuchUpload" or "MethodNotAllowed" or "NotImplemented" || (int)ex.StatusCode is 404 or 405 or 501)
                    {
                        // Answers, not failures: no retry. 404 NoSuchUpload: completed, aborted or expired meanwhile.
                        return (null, ex.ErrorCode ?? ((int)ex.StatusCode).ToString(CultureInfo.InvariantCulture));
                    }
                },
                where,
                cancellationToken).ConfigureAwait(false);
            if (page is null)
            {
                return (null, code is "NoSuchUpload" or "404" ? null : code);
            }

            foreach (var part in page.Parts ?? [])
            {
                if (part.PartNumber is int number)
                {
                    parts[number] = part;
                }
            }

            marker = page.IsTruncated == true ? page.NextPartNumberMarker?.ToString(CultureInfo.InvariantCulture) : null;
        }
        while (marker is not null);
        return (parts, null);
    }

    private async Task AbortQuietlyAsync(string fullKey, string uploadId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(CleanupTimeout);
            await _client.AbortMultipartUploadAsync(_endpoint.Bucket, fullKey, uploadId, timeout.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Best effort: an upload that cannot be aborted now expires by the bucket's lifecycle rule, if any.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    [LoggerMessage(EventId = ResumeEvents.Resumed, Level = LogLevel.Information, Message = "Resuming the upload of {Where}: {Parts} parts ({Bytes} of {Length} bytes) are on the server already")]
    private static partial void LogResumed(ILogger logger, string where, int parts, long bytes, long length);

    [LoggerMessage(EventId = ResumeEvents.CannotResume, Level = LogLevel.Warning, Message = "The S3 server at {Host} cannot list the parts of an upload (ListParts: {Code}), so the interrupted upload of {Where} cannot resume; uploading it in full")]
    private static partial void LogCannotResume(ILogger logger, string where, string host, string code);

    [LoggerMessage(EventId = ResumeEvents.StartedOver, Level = LogLevel.Information, Message = "The local file of {Where} changed since its upload was interrupted; starting over")]
    private static partial void LogStartedOver(ILogger logger, string where);

    [LoggerMessage(EventId = ResumeEvents.Abandoned, Level = LogLevel.Information, Message = "Aborted the interrupted upload of {Where}: its file is no longer part of the sync")]
    private static partial void LogAbandoned(ILogger logger, string where);
}
