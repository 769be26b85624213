using System.Text;
using SyncTooling.Storage;

namespace SyncTooling.Sync.Planning;

/// <summary>One spilled run of listing entries: written once in order, read back once in the same order.</summary>
internal static class EntryRun
{
    private const int BufferSize = 64 * 1024;

    public static BinaryWriter Create(string path) =>
        new(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize), Encoding.UTF8, leaveOpen: false);

    public static void Write(BinaryWriter writer, StorageEntry entry)
    {
        writer.Write(entry.Key);
        writer.Write(entry.Size);
        writer.Write(entry.LastModified.UtcTicks);
        writer.Write((short)entry.LastModified.Offset.TotalMinutes);
        WriteOptional(writer, entry.Md5);
        WriteOptional(writer, entry.ETag);
    }

    /// <summary>The entries of the run at <paramref name="path"/>, in the order they were written.</summary>
    public static IEnumerable<StorageEntry> Read(string path)
    {
        using var reader = new BinaryReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan), Encoding.UTF8);
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            yield return ReadOne(reader);
        }
    }

    public static void Write(BinaryWriter writer, StoragePair pair)
    {
        writer.Write((byte)((pair.Source is null ? 0 : 1) | (pair.Destination is null ? 0 : 2)));
        if (pair.Source is not null)
        {
            Write(writer, pair.Source);
        }

        if (pair.Destination is not null)
        {
            Write(writer, pair.Destination);
        }
    }

    /// <summary>The pairs of the run at <paramref name="path"/>, in the order they were written.</summary>
    public static IEnumerable<StoragePair> ReadPairs(string path)
    {
        using var reader = new BinaryReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan), Encoding.UTF8);
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            byte sides = reader.ReadByte();
            var source = (sides & 1) != 0 ? ReadOne(reader) : null;
            var destination = (sides & 2) != 0 ? ReadOne(reader) : null;
            yield return new StoragePair(source, destination);
        }
    }

    private static StorageEntry ReadOne(BinaryReader reader)
    {
        string key = reader.ReadString();
        long size = reader.ReadInt64();
        long ticks = reader.ReadInt64();
        var offset = TimeSpan.FromMinutes(reader.ReadInt16());
        string? md5 = ReadOptional(reader);
        string? etag = ReadOptional(reader);
        return new StorageEntry(key, size, new DateTimeOffset(ticks + offset.Ticks, offset), md5) { ETag = etag };
    }

    private static void WriteOptional(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;
}
