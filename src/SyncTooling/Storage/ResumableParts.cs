using SyncTooling.Sync;

namespace SyncTooling.Storage;

/// <summary>
/// The resume side of one large upload (S3 multipart, Azure staged blocks): which parts the server holds already, as
/// recorded and confirmed, and the record of those sent now. Shared by the backends; each one finds the parts on its
/// server (ListParts, Get Block List) and hands them in with the tag it needs to commit them (S3: the part's ETag).
/// </summary>
internal sealed class ResumableParts(string uploadId, UploadCheckpoints store, UploadCheckpoint? checkpoint, IReadOnlyDictionary<int, (CheckpointPart Part, string Tag)> onServer, string where, TimeProvider? time = null)
{
    // Up to this many parts, every confirmed part is written at once.
    private const int EveryPartUpTo = 64;

    private static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly SortedDictionary<int, CheckpointPart> _parts = new((checkpoint?.Parts ?? []).ToDictionary(p => p.Number));
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private UploadCheckpoint? _checkpoint = checkpoint;
    private long _lastSave = (time ?? TimeProvider.System).GetTimestamp();
    private int _unsaved;

    /// <summary>The S3 upload id, or the Azure block id prefix.</summary>
    public string UploadId { get; } = uploadId;

    /// <summary>True when the upload is recorded, so an interruption can leave it for a rerun instead of aborting it.</summary>
    public bool Recorded
    {
        get
        {
            lock (_lock)
            {
                return _checkpoint is not null;
            }
        }
    }

    /// <summary>
    /// The tag of the part as the server holds it, or null when it must be sent. Throws when the bytes read now are
    /// not the bytes sent then: the local file changed, and the upload must start over.
    /// </summary>
    public string? TryReuse(int partNumber, int count, byte[] md5)
    {
        if (!onServer.TryGetValue(partNumber, out var sent))
        {
            return null;
        }

        if (sent.Part.Size != count || sent.Part.Md5 != Convert.ToHexStringLower(md5))
        {
            throw new LocalFileChangedException($"{where}: the local file changed since its upload was interrupted (part {partNumber} reads otherwise than it was sent); the upload starts over.");
        }

        return sent.Tag;
    }

    /// <summary>
    /// Records a part the server has confirmed. Each save writes every part so far, so saving after each part costs
    /// quadratic time and disk writes for a large upload (about 1 MB a part at 10,000 parts). So: every part is
    /// written at once up to 64 parts; beyond that, when the parts not yet written reach a thirty-second of those
    /// recorded, or a second has passed since the last save (and always by <see cref="Flush"/>). A kill loses at most
    /// that much of the record; the rerun sends those parts again.
    /// </summary>
    public void Sent(int partNumber, int size, byte[] md5)
    {
        lock (_lock)
        {
            if (_checkpoint is null)
            {
                return;
            }

            _parts[partNumber] = new CheckpointPart(partNumber, size, Convert.ToHexStringLower(md5));
            _unsaved++;
            if (_parts.Count <= EveryPartUpTo || _unsaved * 32 >= _parts.Count || _time.GetElapsedTime(_lastSave) >= SaveInterval)
            {
                SaveLocked();
            }
        }
    }

    /// <summary>Writes the parts confirmed since the last save: the upload is left for a rerun.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            if (_unsaved > 0 && _checkpoint is not null)
            {
                SaveLocked();
            }
        }
    }

    private void SaveLocked()
    {
        _checkpoint = _checkpoint! with { Parts = [.. _parts.Values] };
        store.Save(_checkpoint);
        _lastSave = _time.GetTimestamp();
        _unsaved = 0;
    }

    /// <summary>
    /// True when the upload should stay for a rerun: it is recorded, and it was stopped by a cancellation (Ctrl+C, a
    /// timeout) or by requests that did not get through after their retries (a lost network, a server down). Not by
    /// a garbled answer (an ETag mismatch, raised without an inner exception), a source that changed or failed (no
    /// request at all), or a refusal (permanent): those uploads are aborted.
    /// </summary>
    public bool KeepsFor(Exception exception) =>
        Recorded && exception is not LocalFileChangedException
        && (exception is OperationCanceledException || (exception is StorageException { IsTransient: true, InnerException: not null } && RetryPolicy.WasRetried(exception)));

    /// <summary>Forgets the record: the upload completed or was aborted.</summary>
    public void Forget()
    {
        lock (_lock)
        {
            if (_checkpoint is { } current)
            {
                store.Remove(current.Key);
                _checkpoint = null;
            }
        }
    }
}

/// <summary>The bytes of a part read again differ from those sent before: transient, as a retry starts a new upload.</summary>
internal sealed class LocalFileChangedException(string message) : StorageException(StorageErrorKind.Transient, message);
