using Microsoft.Extensions.Time.Testing;
using System.Text;
using SyncTooling.Storage;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Storage;

/// <summary>The record of unfinished uploads: written whole or not at all, private, and never a crash when it is damaged.</summary>
public sealed class UploadCheckpointsTests : IDisposable
{
    private const string Key = "run/model.bin";
    private readonly TempDirectory _temp = new();
    private readonly ListLogger _logger = new();

    public void Dispose() => _temp.Dispose();

    private UploadCheckpoints Store(string identity = "http://127.0.0.1:9000/bucket") => UploadCheckpoints.Open(_temp.Path, "s3", identity, _logger);

    private static UploadCheckpoint Sample => new()
    {
        Key = Key,
        UploadId = "2~upload-id",
        Size = 12_345_678,
        Modified = "1700000000.123456789",
        ContentMd5 = "0123456789abcdef0123456789abcdef",
        PartSize = 5 * 1024 * 1024,
        Parts = [new CheckpointPart(1, 5 * 1024 * 1024, "fedcba9876543210fedcba9876543210"), new CheckpointPart(2, 5 * 1024 * 1024, "00112233445566778899aabbccddeeff")],
    };

    private string OnlyFile() => Assert.Single(Directory.GetFiles(_temp.Path, "*", SearchOption.AllDirectories));

    [Fact]
    public void ASavedRecord_LoadsBack_FromAPrivateFile_OutsideAnySyncedTree()
    {
        Store().Save(Sample);

        var loaded = Store().Load(Key);
        string file = OnlyFile();

        Assert.Equal(Sample with { Version = 1, Identity = "http://127.0.0.1:9000/bucket", Parts = loaded!.Parts }, loaded);
        Assert.Equal(Sample.Parts, loaded.Parts);
        Assert.StartsWith(Path.Combine(_temp.Path, "uploads") + Path.DirectorySeparatorChar, file, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, OperatingSystem.IsWindows() ? UnixFileMode.UserRead | UnixFileMode.UserWrite : File.GetUnixFileMode(file));
        Assert.Empty(_logger.Lines);
    }

    [Fact]
    public void ARecordOfAnotherLocation_OrAnotherKey_IsNotUsed()
    {
        Store("http://127.0.0.1:9000/bucket").Save(Sample);

        Assert.Null(Store("http://127.0.0.1:9000/other-bucket").Load(Key));
        Assert.Null(Store().Load("run/other.bin"));
    }

    [Fact]
    public void Remove_ForgetsTheRecord()
    {
        var store = Store();
        store.Save(Sample);

        store.Remove(Key);

        Assert.Null(store.Load(Key));
        Assert.Empty(Directory.GetFiles(_temp.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void DamagedRecords_AreIgnoredWithAWarning_NeverACrash()
    {
        // A cheap fuzz pass: cuts, byte flips, garbage and wrong types, each loaded as the record of Key.
        var store = Store();
        store.Save(Sample);
        string path = OnlyFile();
        byte[] valid = File.ReadAllBytes(path);
        var random = new Random(17);
        var cases = new List<byte[]>
        {
            Array.Empty<byte>(),
            Encoding.UTF8.GetBytes("null"),
            Encoding.UTF8.GetBytes("[]"),
            Encoding.UTF8.GetBytes("{\"Version\":\"1\"}"),
            Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(valid).Replace("\"Parts\":[", "\"Parts\":[null,", StringComparison.Ordinal)),
            Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(valid).Replace("\"Number\":2", "\"Number\":1", StringComparison.Ordinal)),
            Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(valid).Replace("\"Number\":2", "\"Number\":99999999999", StringComparison.Ordinal)),
            Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(valid).Replace("fedcba98", "FEDCBA9Z", StringComparison.Ordinal)),
            Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(valid).Replace("\"PartSize\":5242880", "\"PartSize\":-1", StringComparison.Ordinal)),
        };
        for (int i = 0; i < 300; i++)
        {
            byte[] mutated = valid[..random.Next(valid.Length)];
            if (i % 2 == 0)
            {
                mutated = (byte[])valid.Clone();
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            cases.Add(i % 50 == 0 ? RandomBytes(random, random.Next(1, 4096)) : mutated);
        }

        foreach (byte[] bytes in cases)
        {
            File.WriteAllBytes(path, bytes);

            var loaded = store.Load(Key);

            // A flip that leaves a whole, valid record (a digit of the size) may load; anything else must not.
            Assert.True(loaded is null || loaded.IsWhole(1, "http://127.0.0.1:9000/bucket"), Encoding.UTF8.GetString(bytes));
        }

        Assert.Contains(_logger.Lines, l => l.StartsWith($"Warning: Ignoring the upload checkpoint {path}: ", StringComparison.Ordinal) && l.EndsWith("; the upload it recorded, if any, starts over", StringComparison.Ordinal));
        Assert.True(_logger.Lines.Count >= 9, string.Join("\n", _logger.Lines));
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        byte[] bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void AnAzureRecord_WithMoreBlocksThanS3HasParts_IsWhole_ButNotBeyondAzuresLimit()
    {
        var azure = Sample with { PartSize = 4 * 1024 * 1024, Parts = [new CheckpointPart(20_000, 4 * 1024 * 1024, "fedcba9876543210fedcba9876543210")] };
        Store().Save(azure);
        Assert.Equal(20_000, Assert.Single(Store().Load(Key)!.Parts).Number);

        Store().Save(azure with { Parts = [new CheckpointPart(50_001, 1, "fedcba9876543210fedcba9876543210")] });
        Assert.Null(Store().Load(Key));
    }

    [Fact]
    public void ASmallUpload_RecordsEveryPart_AsSoonAsItIsConfirmed()
    {
        var (store, parts) = Upload(new FakeTimeProvider());

        for (int number = 1; number <= 64; number++)
        {
            parts.Sent(number, 5 * 1024 * 1024, Md5Of(number));
            Assert.Equal(number, store.Load(Key)!.Parts.Count);
        }
    }

    [Fact]
    public void ALargeUpload_IsNotRewrittenAfterEveryPart_AndIsWhollyRecordedOnFlush()
    {
        var time = new FakeTimeProvider();
        var (store, parts) = Upload(time);
        int before = store.Saves;

        // 10,000 parts within one second (the clock does not move): saving after each would write 10,000 records of
        // up to 10,000 parts; a thirty-second of the parts may wait, so the saves grow with the logarithm.
        for (int number = 1; number <= 10_000; number++)
        {
            parts.Sent(number, 5 * 1024 * 1024, Md5Of(number));
        }

        int saves = store.Saves - before;
        int onDiskBeforeFlush = store.Load(Key)!.Parts.Count;
        parts.Flush();
        var flushed = store.Load(Key)!.Parts;

        Assert.InRange(saves, 64, 400);
        Assert.InRange(onDiskBeforeFlush, 10_000 - (10_000 / 32), 10_000);
        Assert.Equal(Enumerable.Range(1, 10_000), flushed.Select(p => p.Number));
        Assert.Equal(Convert.ToHexStringLower(Md5Of(10_000)), flushed[^1].Md5);
    }

    [Fact]
    public void ALargeUpload_IsRecordedAtLeastOnceASecond()
    {
        var time = new FakeTimeProvider();
        var (store, parts) = Upload(time);
        for (int number = 1; number <= 1_000; number++)
        {
            parts.Sent(number, 5 * 1024 * 1024, Md5Of(number));
        }

        int recorded = store.Load(Key)!.Parts.Count;
        parts.Sent(1_001, 5 * 1024 * 1024, Md5Of(1_001));
        Assert.Equal(recorded, store.Load(Key)!.Parts.Count);

        time.Advance(TimeSpan.FromSeconds(1));
        parts.Sent(1_002, 5 * 1024 * 1024, Md5Of(1_002));
        Assert.Equal(1_002, store.Load(Key)!.Parts.Count);
    }

    private (UploadCheckpoints Store, ResumableParts Parts) Upload(TimeProvider time)
    {
        var store = Store();
        var checkpoint = Sample with { Parts = [] };
        store.Save(checkpoint);
        return (store, new ResumableParts(checkpoint.UploadId, store, checkpoint, new Dictionary<int, (CheckpointPart, string)>(), "'run/model.bin'", time));
    }

    private static byte[] Md5Of(int number)
    {
        byte[] md5 = new byte[16];
        BitConverter.TryWriteBytes(md5, number);
        return md5;
    }
}
