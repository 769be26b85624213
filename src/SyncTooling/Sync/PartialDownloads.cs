using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SyncTooling.Storage;

namespace SyncTooling.Sync;

/// <summary>
/// What is on disk of the interrupted large downloads from one object-store location into one folder: per object
/// its ETag and size, the range size, the temp file's name and how much of each range is in it. One small JSON file per
/// object (<c>partial-PAIR-KEY.json</c>, PAIR as <see cref="DownloadState"/> names the pair), beside the sync state,
/// outside the synced tree, readable by the user only; it holds no location and no credential. A missing or
/// corrupt record only costs bytes: the download starts over.
/// </summary>
internal sealed class PartialDownloads
{
    private readonly string? _directory;
    private readonly string _prefix;
    private readonly ConcurrentDictionary<string, Record> _records = new(StringComparer.Ordinal);

    private PartialDownloads(string? directory, string prefix)
    {
        _directory = directory;
        _prefix = prefix;
    }

    /// <summary>The records of <paramref name="source"/> -> <paramref name="target"/> in <paramref name="directory"/>; kept in memory only (a retry in the same run still resumes) when it is null.</summary>
    public static PartialDownloads Open(string? directory, StorageUri source, StorageUri target) =>
        new(directory, "partial-" + DownloadState.PairId(source, target) + "-");

    /// <summary>The record of <paramref name="key"/>, or null when there is none (or it cannot be read).</summary>
    public Record? Find(string key)
    {
        if (_records.TryGetValue(key, out var known))
        {
            return known;
        }

        if (PathOf(key) is not { } path)
        {
            return null;
        }

        try
        {
            using var stream = System.IO.File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, StateJson.Default.PartialDownload) is { ETag: not null, Temp: not null, Written: not null } read && read.Key == key ? read : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Every record on disk of this pair (to keep their temp files from the stale temp file rule).</summary>
    public IReadOnlyList<Record> All()
    {
        var all = new Dictionary<string, Record>(_records, StringComparer.Ordinal);
        if (_directory is not null && Directory.Exists(_directory))
        {
            try
            {
                foreach (string path in Directory.EnumerateFiles(_directory, _prefix + "*.json"))
                {
                    try
                    {
                        using var stream = System.IO.File.OpenRead(path);
                        if (JsonSerializer.Deserialize(stream, StateJson.Default.PartialDownload) is { Key: not null } read)
                        {
                            all.TryAdd(read.Key, read);
                        }
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
                    {
                        // An unreadable record keeps no temp file: it is removed when stale, like any other.
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // No records to honour.
            }
        }

        return [.. all.Values];
    }

    /// <summary>Records <paramref name="record"/> (temp file, then rename); returns the error when it could not be written.</summary>
    public string? Save(Record record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _records[record.Key] = record;
        if (PathOf(record.Key) is not { } path)
        {
            return null;
        }

        string temp = path + ".tmp-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            Directory.CreateDirectory(_directory!);
            using (var stream = System.IO.File.Create(temp))
            {
                if (!OperatingSystem.IsWindows())
                {
                    System.IO.File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                JsonSerializer.Serialize(stream, record, StateJson.Default.PartialDownload);
            }

            System.IO.File.Move(temp, path, overwrite: true);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            return ex.Message;
        }
    }

    /// <summary>Forgets the record of <paramref name="key"/>: the download completed, or starts over.</summary>
    public void Remove(string key)
    {
        _records.TryRemove(key, out _);
        if (PathOf(key) is { } path)
        {
            TryDelete(path);
        }
    }

    private string? PathOf(string key) => _directory is null
        ? null
        : Path.Combine(_directory, _prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16)) + ".json");

    private static void TryDelete(string path)
    {
        try
        {
            System.IO.File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover record is checked against the object before it is used.
        }
    }

    /// <summary>One interrupted download: the object's version, the temp file beside its key, and the ranges in it.</summary>
    /// <param name="Key">The object's key (and the file's).</param>
    /// <param name="ETag">The ETag every range was fetched with (If-Match).</param>
    /// <param name="Size">The object's size.</param>
    /// <param name="RangeSize">The size of every range but the last.</param>
    /// <param name="Temp">The temp file's name in the key's folder.</param>
    /// <param name="Written">Per range, how many of its first bytes are in the temp file (flushed before this was recorded).</param>
    internal sealed record Record(string Key, string ETag, long Size, int RangeSize, string Temp, int[] Written);
}
