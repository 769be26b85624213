using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SyncTooling.Storage;

namespace SyncTooling.Sync;

/// <summary>
/// What the last sync down from one object-store location into one folder saw of each object and the local
/// modification time it left on the file. ListObjectsV2 carries no metadata, so this is how a re-sync knows a
/// file restored to its source's (older) modification time is unchanged without a request per object. One JSON
/// file per (source, target) pair, named by a hash of both, in a folder outside the synced tree; it holds keys,
/// sizes, ETags and times, never a location or a credential. A missing, unreadable or corrupt file only costs
/// requests (a HEAD per candidate), never a wrong skip: a record counts only when the remote ETag, size and
/// time and the local size and time all still match.
/// </summary>
internal sealed class DownloadState
{
    /// <summary>The environment variable that overrides the state folder.</summary>
    public const string DirectoryVariable = "SYNCTOOLING_STATE_DIR";

    private readonly string? _path;
    private readonly Dictionary<string, Record> _records;
    private readonly Lock _lock = new();

    private DownloadState(string? path, Dictionary<string, Record> records)
    {
        _path = path;
        _records = records;
    }

    /// <summary>The path of the state file, or null when there is no usable state folder.</summary>
    public string? Path => _path;

    /// <summary>The state folder: <paramref name="configured"/>, else the environment variable, else the XDG state folder.</summary>
    public static string? ResolveDirectory(string? configured)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        if (Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } xdg && System.IO.Path.IsPathRooted(xdg))
        {
            return System.IO.Path.Combine(xdg, "synctooling");
        }

        if (OperatingSystem.IsWindows())
        {
            return System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "synctooling", "state");
        }

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return home.Length == 0 ? null : System.IO.Path.Combine(home, ".local", "state", "synctooling");
    }

    /// <summary>Loads the state of <paramref name="source"/> -> <paramref name="target"/>; an unreadable file is an empty state.</summary>
    public static DownloadState Load(string? directory, StorageUri source, StorageUri target)
    {
        if (directory is null)
        {
            return new DownloadState(null, new Dictionary<string, Record>(StringComparer.Ordinal));
        }

        string path = System.IO.Path.Combine(directory, "down-" + PairId(source, target) + ".json");
        Dictionary<string, Record>? records = null;
        try
        {
            using var stream = System.IO.File.OpenRead(path);
            records = JsonSerializer.Deserialize(stream, StateJson.Default.StateFile)?.Records;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            // No state yet, or an unreadable one: the sync falls back to asking the object store.
        }

        // A record the file holds as null (edited by hand, or damaged) is no record.
        return new DownloadState(path, new Dictionary<string, Record>((records ?? []).Where(r => r.Value is not null), StringComparer.Ordinal));
    }

    /// <summary>The name part of one (source, target) pair's state files: 32 hex digits of a hash of both.</summary>
    public static string PairId(StorageUri source, StorageUri target) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source + "\n" + target)).AsSpan(0, 16));

    /// <summary>True when the last sync left <paramref name="local"/> as the copy of exactly this <paramref name="remote"/> object.</summary>
    public bool Matches(StorageEntry remote, StorageEntry local)
    {
        lock (_lock)
        {
            return _records.TryGetValue(remote.Key, out var r)
                && r.ETag is not null && r.ETag == remote.ETag && r.Size == remote.Size && r.Size == local.Size
                && r.RemoteTicks == remote.LastModified.UtcTicks && r.LocalTicks == local.LastModified.UtcTicks;
        }
    }

    /// <summary>Records that <paramref name="remote"/> is now the local file with modification time <paramref name="localModified"/>.</summary>
    public void Set(StorageEntry remote, DateTimeOffset localModified)
    {
        lock (_lock)
        {
            _records[remote.Key] = new Record(remote.Size, remote.ETag, remote.LastModified.UtcTicks, localModified.UtcTicks);
        }
    }

    /// <summary>Writes the state (temp file, then rename), keeping only keys in <paramref name="keep"/>; returns the error when it could not.</summary>
    public string? Save(IReadOnlySet<string> keep)
    {
        if (_path is null)
        {
            return null;
        }

        Dictionary<string, Record> records;
        lock (_lock)
        {
            records = _records.Where(r => keep.Contains(r.Key)).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        }

        string temp = _path + ".tmp-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(_path)!);
            using (var stream = System.IO.File.Create(temp))
            {
                if (!OperatingSystem.IsWindows())
                {
                    // File names can be private: readable by the user only, like the rest of ~/.local/state.
                    System.IO.File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                JsonSerializer.Serialize(stream, new StateFile { Records = records }, StateJson.Default.StateFile);
            }

            System.IO.File.Move(temp, _path, overwrite: true);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try
            {
                System.IO.File.Delete(temp);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // The temp file is named so it never matches a state file; a leftover is harmless.
            }

            return ex.Message;
        }
    }

    /// <summary>One object as the last sync saw it, and the local modification time it left.</summary>
    internal sealed record Record(long Size, string? ETag, long RemoteTicks, long LocalTicks);

    internal sealed class StateFile
    {
        public int Version { get; init; } = 1;

        public Dictionary<string, Record> Records { get; init; } = [];
    }
}
