using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SyncTooling.Sync;

namespace SyncTooling.Storage;

/// <summary>
/// What the tool recorded of its unfinished large uploads into one bucket or container, so a rerun after a crash,
/// a kill, a timeout or a lost network continues them: one JSON file per object in the state folder (never in the
/// synced tree), under <c>uploads/</c> and a folder named by a hash of the backend and its identity. A file holds
/// the upload id, the full key, the identity (endpoint and bucket, never a key, token or SAS), the local file's
/// size and modification time, the part size and each sent part's number, size and MD5. Each save writes a temp
/// file and renames it over the old one, so a kill leaves the old record or the new one. A file that cannot be read
/// or does not hold a whole record is ignored with a warning: it only costs a full upload.
/// </summary>
internal sealed partial class UploadCheckpoints
{
    private const int Version = 1;
    private readonly string? _folder;
    private readonly string _identity;
    private readonly ILogger _logger;
    private int _saves;

    private UploadCheckpoints(string? folder, string identity, ILogger logger)
    {
        _folder = folder;
        _identity = identity;
        _logger = logger;
    }

    /// <summary>False when there is no state folder: uploads then start from zero and are aborted on any failure.</summary>
    public bool Enabled => _folder is not null;

    /// <summary>How many records this store has written. Internal: the tests count the saves of a large upload.</summary>
    internal int Saves => Volatile.Read(ref _saves);

    /// <summary>The store of <paramref name="backend"/> (s3, az) at <paramref name="identity"/>, in the state folder (<see cref="DownloadState.ResolveDirectory"/>).</summary>
    public static UploadCheckpoints Open(string? stateDirectory, string backend, string identity, ILogger logger)
    {
        string? root = DownloadState.ResolveDirectory(stateDirectory);
        string? folder = root is null ? null : Path.Combine(root, "uploads", Hash(backend + "\n" + identity));
        return new UploadCheckpoints(folder, identity, logger);
    }

    /// <summary>The record of <paramref name="fullKey"/>, or null when there is none or it is unusable (then with a warning).</summary>
    public UploadCheckpoint? Load(string fullKey)
    {
        if (_folder is null)
        {
            return null;
        }

        string path = PathOf(fullKey);
        if (!System.IO.File.Exists(path))
        {
            return null;
        }

        var checkpoint = Read(path);
        return checkpoint is not null && checkpoint.Key == fullKey ? checkpoint : null;
    }

    /// <summary>Every usable record of this store (unusable files are skipped with a warning).</summary>
    public IEnumerable<UploadCheckpoint> All()
    {
        if (_folder is null || !Directory.Exists(_folder))
        {
            yield break;
        }

        foreach (string path in Directory.EnumerateFiles(_folder, "*.json"))
        {
            if (Read(path) is { } checkpoint && Path.GetFileName(path) == FileName(checkpoint.Key))
            {
                yield return checkpoint;
            }
        }
    }

    /// <summary>Writes the record (temp file, then rename); a failure is a warning: the upload goes on, only a resume is lost.</summary>
    public void Save(UploadCheckpoint checkpoint)
    {
        if (_folder is null)
        {
            return;
        }

        Interlocked.Increment(ref _saves);

        string path = PathOf(checkpoint.Key);
        string temp = path + ".tmp-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            Directory.CreateDirectory(_folder);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                if (!OperatingSystem.IsWindows())
                {
                    System.IO.File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                JsonSerializer.Serialize(stream, checkpoint with { Version = Version, Identity = _identity }, StateJson.Default.UploadCheckpoint);
            }

            System.IO.File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            LogNotSaved(_logger, path, ex.Message);
        }
    }

    /// <summary>Forgets the record of <paramref name="fullKey"/> (the upload completed, was aborted or will not be resumed).</summary>
    public void Remove(string fullKey)
    {
        if (_folder is not null)
        {
            TryDelete(PathOf(fullKey));
        }
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));

    private static string FileName(string fullKey) => Hash(fullKey) + ".json";

    private string PathOf(string fullKey) => Path.Combine(_folder!, FileName(fullKey));

    private UploadCheckpoint? Read(string path)
    {
        try
        {
            UploadCheckpoint? checkpoint;
            using (var stream = System.IO.File.OpenRead(path))
            {
                checkpoint = JsonSerializer.Deserialize(stream, StateJson.Default.UploadCheckpoint);
            }

            if (checkpoint is not null && checkpoint.IsWhole(Version, _identity))
            {
                return checkpoint;
            }

            LogUnusable(_logger, path, "it does not hold a whole upload record of this version and location");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            LogUnusable(_logger, path, ex.Message);
        }

        return null;
    }

    private static void TryDelete(string path)
    {
        try
        {
            System.IO.File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A record left behind is checked against the server before any use; at worst it costs a request.
        }
    }

    [LoggerMessage(EventId = ResumeEvents.CheckpointUnusable, Level = LogLevel.Warning, Message = "Ignoring the upload checkpoint {Path}: {Reason}; the upload it recorded, if any, starts over")]
    private static partial void LogUnusable(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = ResumeEvents.CheckpointNotSaved, Level = LogLevel.Warning, Message = "Could not save the upload checkpoint {Path}: {Reason}; an interrupted upload will start over")]
    private static partial void LogNotSaved(ILogger logger, string path, string reason);
}

/// <summary>One unfinished upload as <see cref="UploadCheckpoints"/> records it.</summary>
internal sealed record UploadCheckpoint
{
    public int Version { get; init; }

    /// <summary>Endpoint and bucket (S3) or account endpoint and container (Azure): never a credential.</summary>
    public string Identity { get; init; } = string.Empty;

    public string Key { get; init; } = string.Empty;

    /// <summary>The S3 upload id, or the Azure block id prefix.</summary>
    public string UploadId { get; init; } = string.Empty;

    public long Size { get; init; }

    /// <summary>The local modification time, as <see cref="UnixTime.ToMetadataString"/> writes it.</summary>
    public string Modified { get; init; } = string.Empty;

    /// <summary>The lower-case hex MD5 of the whole content when it was known before the upload began.</summary>
    public string? ContentMd5 { get; init; }

    public int PartSize { get; init; }

    public IReadOnlyList<CheckpointPart> Parts { get; init; } = [];

    /// <summary>
    /// True when every field holds what a save writes: a record cut short or edited by hand is not used. A field the file
    /// lacks reads as null (generated deserializers set every init-only property), so none is taken as non-null here.
    /// </summary>
    public bool IsWhole(int version, string identity) =>
        Version == version && Identity == identity && Key is { Length: > 0 } && UploadId is { Length: > 0 } && Size >= 0 && Modified is { Length: > 0 }
        && PartSize > 0 && Parts is not null && (ContentMd5 is null || IsMd5(ContentMd5))
        && Parts.All(p => p is not null && p.Number >= 1 && p.Number <= MaxParts && p.Size >= 0 && p.Size <= PartSize && IsMd5(p.Md5))
        && Parts.Select(p => p.Number).Distinct().Count() == Parts.Count;

    // S3 allows 10,000 parts, Azure 50,000 blocks: a record of either store is whole up to the larger.
    private static readonly int MaxParts = Math.Max(PartLimits.S3.MaxParts, PartLimits.AzureBlockBlob.MaxParts);

    private static bool IsMd5(string? text) => text is { Length: 32 } && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}

/// <summary>A part that was sent: its number, size and the lower-case hex MD5 of its bytes.</summary>
internal sealed record CheckpointPart(int Number, long Size, string Md5);

/// <summary>
/// The <see cref="Microsoft.Extensions.Logging.EventId"/>s of the messages about resuming interrupted uploads, which
/// backends log through <see cref="StorageSettings.Logger"/>: from <see cref="First"/> to <see cref="Last"/>.
/// </summary>
public static class ResumeEvents
{
    /// <summary>The lowest id.</summary>
    public const int First = 1700;

    /// <summary>A checkpoint file was unreadable or incomplete and is ignored (Warning).</summary>
    public const int CheckpointUnusable = 1700;

    /// <summary>A checkpoint could not be written; the upload goes on without it (Warning).</summary>
    public const int CheckpointNotSaved = 1701;

    /// <summary>An interrupted upload continues (Information).</summary>
    public const int Resumed = 1702;

    /// <summary>The server cannot list an upload's parts (s3rver), so it is sent in full (Warning).</summary>
    public const int CannotResume = 1703;

    /// <summary>The local file changed since the interruption, so its upload starts over (Information).</summary>
    public const int StartedOver = 1704;

    /// <summary>An interrupted upload whose file left the sync was aborted (Information).</summary>
    public const int Abandoned = 1705;

    /// <summary>The highest id.</summary>
    public const int Last = 1709;
}
