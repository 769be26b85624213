using System.Text;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Storage.Memory;
using SyncTooling.Sync;
using SyncTooling.Sync.Planning;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Sync;

/// <summary>
/// The plan is a streaming merge of two listings in one key order (UTF-8 byte order): it stays exact when a side
/// lists in another order or fails midway, transfers start while the listing goes on, and deletes wait for the end.
/// </summary>
public sealed class StreamingPlanTests : IDisposable
{
    // U+E000 (private use) sorts before U+1F600 in UTF-8 bytes and code points, after it in UTF-16 code units.
    private const string PrivateUse = "a\uE000.txt";
    private const string Emoji = "a\U0001F600.txt";
    private static readonly DateTimeOffset Time = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static StorageUri NewMemory(string name) => StorageUri.Parse($"memory://streaming-{name}/{Guid.NewGuid():N}");

    private static async Task WriteAsync(StorageUri location, params string[] keys)
    {
        await using var storage = new MemoryStorage(location);
        foreach (string key in keys)
        {
            byte[] data = Encoding.UTF8.GetBytes("content of " + key);
            await storage.WriteAsync(key, new MemoryStream(data), data.Length, Time);
        }
    }

    private static async Task<List<string>> KeysAsync(StorageUri location)
    {
        var keys = new List<string>();
        await using var storage = new MemoryStorage(location);
        await foreach (var entry in storage.ListAsync())
        {
            keys.Add(entry.Key);
        }

        return keys;
    }

    /// <summary>An engine whose memory:// locations in <paramref name="scripted"/> list through their script.</summary>
    private static SyncEngine Engine(ListLogger logger, params (StorageUri Location, ScriptedListingStorage Storage)[] scripted) =>
        new(new StorageRegistry()
            .Register("file", uri => new FileStorage(uri))
            .Register("memory", uri => scripted.FirstOrDefault(s => s.Location.ToString() == uri.ToString()).Storage ?? (IStorage)new MemoryStorage(uri)),
            logger);

    private static ScriptedListingStorage Scripted(StorageUri location, Func<IAsyncEnumerable<StorageEntry>, ScriptedListingStorage, IAsyncEnumerable<StorageEntry>> script) =>
        new(new MemoryStorage(location), script);

    public sealed class Order
    {
        [Fact]
        public void KeyOrder_IsUtf8ByteOrder_WhereUtf16OrderDiffers()
        {
            Assert.True(string.CompareOrdinal(PrivateUse, Emoji) > 0);

            Assert.True(KeyOrder.CompareKeys(PrivateUse, Emoji) < 0);
            Assert.True(KeyOrder.CompareKeys(Emoji, PrivateUse) > 0);
        }

        [Fact]
        public void KeyOrder_AgreesWithUtf8Bytes_OnMixedKeys()
        {
            string[] keys = ["a", "a/b", "a-b", "a.txt", "a\uFFFF", "a\uE000", "a\U0001F600", "a\U0010FFFF", "\u00e9", "z", "ab", "a\uD7FF", string.Empty, "a/\U0001F600/x", "a/\uE000/x"];

            var byKeyOrder = keys.Order(KeyOrder.Instance).ToList();

            var byBytes = keys.OrderBy(k => Encoding.UTF8.GetBytes(k), Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y))).ToList();
            Assert.Equal(byBytes, byKeyOrder);
        }

        [Fact]
        public async Task FileStorage_ListsInKeyOrder_FoldersWhereTheirKeysSort()
        {
            using var temp = new TempDirectory();
            string[] keys = ["a-b", "a.txt", "a/x", "a/\U0001F600", "a/\uE000", "b/c/d", "b.c", "b0", Emoji, PrivateUse, "\u00e9"];
            foreach (string key in keys)
            {
                temp.Write("tree/" + key, key);
            }

            var listed = new List<string>();
            await using var storage = new FileStorage(StorageUri.Parse(temp.Combine("tree")));
            await foreach (var entry in storage.ListAsync())
            {
                listed.Add(entry.Key);
            }

            Assert.Equal(keys.Order(KeyOrder.Instance), listed);
        }

        [Fact]
        public async Task MemoryStorage_ListsInKeyOrder()
        {
            var location = NewMemory("order");
            await WriteAsync(location, "b", Emoji, "a/x", PrivateUse, "a-b");

            Assert.Equal(["a-b", "a/x", PrivateUse, Emoji, "b"], await KeysAsync(location));
        }
    }

    public sealed class Merge : IDisposable
    {
        private readonly StreamingPlanTests _t = new();

        public void Dispose() => _t.Dispose();

        [Fact]
        public async Task LocalTreeWithAstralAndPrivateUseNames_MergesWithMemory_WithoutFallingBack()
        {
            foreach (string key in new[] { Emoji, PrivateUse, "a/b", "a-b" })
            {
                _t._temp.Write("src/" + key, key);
            }

            var target = NewMemory("local");
            var logger = new ListLogger();
            var engine = Engine(logger);
            await engine.SyncAsync(StorageUri.Parse(_t._temp.Combine("src")), target);

            var again = await engine.SyncAsync(StorageUri.Parse(_t._temp.Combine("src")), target, new SyncOptions { Delete = true });

            Assert.Empty(again.Transferred);
            Assert.Empty(again.Deleted);
            Assert.Equal(4, again.Plan.UnchangedCount);
            Assert.DoesNotContain(logger.Lines, l => l.Contains("not in key order", StringComparison.Ordinal));
        }

        [Fact]
        public async Task DestinationListedInUtf16Order_FallsBackToSorting_AndThePlanIsExact()
        {
            var source = NewMemory("src");
            var target = NewMemory("dst");
            await WriteAsync(source, Emoji, PrivateUse, "b.txt", "new.txt");
            await WriteAsync(target, Emoji, PrivateUse, "b.txt", "old.txt");
            var ordinal = Scripted(target, (listing, _) => ScriptedListingStorage.InOrdinalOrder(listing));
            var logger = new ListLogger();

            var result = await Engine(logger, (target, ordinal)).SyncAsync(source, target, new SyncOptions { Delete = true });

            Assert.Equal(["new.txt"], result.Transferred);
            Assert.Equal(["old.txt"], result.Deleted);
            Assert.Equal([PrivateUse, Emoji, "b.txt"], result.Plan.Unchanged.Select(e => e.Key));
            Assert.Contains(logger.Lines, l => l.StartsWith($"Warning: Listing of {target} is not in key order ('{target}' listed '{PrivateUse}' after '{Emoji}'", StringComparison.Ordinal));
            Assert.Equal([PrivateUse, Emoji, "b.txt", "new.txt"], await KeysAsync(target));
        }

        [Fact]
        public async Task SourceListedBackwards_WhileTransfersRun_EachFileIsSentOnce_AndNothingPresentIsDeleted()
        {
            var source = NewMemory("src");
            var target = NewMemory("dst");
            var keys = Enumerable.Range(0, 40).Select(i => $"k{i:D2}").ToArray();
            await WriteAsync(source, keys);
            await WriteAsync(target, [.. keys.Where((_, i) => i % 2 == 0), "extra1", "extra2"]);
            var backwards = Scripted(source, (listing, _) => ScriptedListingStorage.Reversed(listing));
            var counting = Scripted(target, (listing, _) => listing);

            var result = await Engine(new ListLogger(), (source, backwards), (target, counting)).SyncAsync(source, target, new SyncOptions { Delete = true });

            Assert.Equal(keys.Where((_, i) => i % 2 == 1), result.Transferred);
            Assert.Equal(20, counting.Writes);
            Assert.Equal(["extra1", "extra2"], result.Deleted);
            Assert.Equal(20, result.Plan.UnchangedCount);
            Assert.Equal(keys, await KeysAsync(target));
        }

        [Fact]
        public async Task ATinyMemoryCap_SpillsSortedRuns_ToAPrivateFolder_RemovedAtTheEnd()
        {
            var source = NewMemory("src");
            var target = NewMemory("dst");
            var keys = Enumerable.Range(0, 25).Select(i => $"k{i:D2}").ToArray();
            await WriteAsync(source, keys);
            await WriteAsync(target, [.. keys[..10], .. Enumerable.Range(0, 7).Select(i => $"x{i}")]);
            var backwards = Scripted(target, (listing, _) => ScriptedListingStorage.Reversed(listing));
            string spill = _t._temp.Combine("spill");
            Directory.CreateDirectory(spill);
            var logger = new ListLogger();

            var result = await Engine(logger, (target, backwards)).SyncAsync(source, target, new SyncOptions { Delete = true, SortMemoryEntries = 3, SpillParent = spill });

            Assert.Equal(keys[10..], result.Transferred);
            Assert.Equal(Enumerable.Range(0, 7).Select(i => $"x{i}"), result.Deleted);
            Assert.Contains(logger.Lines, l => l.StartsWith($"Debug: Spilled listing entries beyond 3 in memory to {spill}/synctooling-spill-", StringComparison.Ordinal));
            Assert.Empty(Directory.EnumerateFileSystemEntries(spill));
        }

        [Fact]
        public async Task AKeyListedTwice_FailsTheSync_AndDeletesNothing()
        {
            var source = NewMemory("src");
            var target = NewMemory("dst");
            await WriteAsync(source, "a", "b");
            await WriteAsync(target, "old");
            var twice = Scripted(source, (listing, _) => Twice(listing));
            var counting = Scripted(target, (listing, _) => listing);

            var ex = await Assert.ThrowsAsync<StorageException>(() => Engine(new ListLogger(), (source, twice), (target, counting)).SyncAsync(source, target, new SyncOptions { Delete = true }));

            Assert.Equal($"'{source}' listed the key 'b' twice; a listing that repeats a key is not trusted, so nothing was deleted.", ex.Message);
            Assert.Equal(0, counting.Deletes);
            Assert.Contains("old", await KeysAsync(target));

            static async IAsyncEnumerable<StorageEntry> Twice(IAsyncEnumerable<StorageEntry> listing)
            {
                await foreach (var entry in listing)
                {
                    yield return entry;
                    if (entry.Key == "b")
                    {
                        yield return entry;
                    }
                }
            }
        }

        [Fact]
        public async Task AFileThatIsAlsoAFolder_IsRefused_WithKeysBetweenItAndItsFolder()
        {
            var source = NewMemory("src");
            await WriteAsync(source, "a", "a-b", "a.txt", "a/b", "b");

            var result = await Engine(new ListLogger()).SyncAsync(source, StorageUri.Parse(_t._temp.Combine("dst")));

            Assert.Equal(["a"], result.Refused.Select(r => r.Key));
            Assert.Equal(["a-b", "a.txt", "a/b", "b"], result.Transferred);
            Assert.Equal(["a-b", "a.txt", "a/b", "b"], TempDirectory.Snapshot(_t._temp.Combine("dst")).Keys);
        }
    }

    public sealed class Checksum : IDisposable
    {
        private readonly StreamingPlanTests _t = new();

        public void Dispose() => _t.Dispose();

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task SameSizePairs_AreDecidedByHashingBothSides_WhileTheMergeGoesOn(bool dryRun)
        {
            var stamp = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);
            foreach (var (side, text) in new[] { ("src", "AAAA"), ("dst", "BBBB") })
            {
                File.SetLastWriteTimeUtc(_t._temp.Write($"{side}/differs.txt", text), stamp);
                File.SetLastWriteTimeUtc(_t._temp.Write($"{side}/same.txt", "same"), side == "src" ? stamp : stamp.AddDays(-1));
            }

            var result = await Engine(new ListLogger()).SyncAsync(
                StorageUri.Parse(_t._temp.Combine("src")),
                StorageUri.Parse(_t._temp.Combine("dst")),
                new SyncOptions { Checksum = true, DryRun = dryRun });

            Assert.Equal(["differs.txt"], result.Transferred);
            Assert.Equal(["differs.txt"], result.Plan.Changed.Select(e => e.Key));
            Assert.Equal(["same.txt"], result.Plan.Unchanged.Select(e => e.Key));
            Assert.Equal(dryRun ? "BBBB" : "AAAA", File.ReadAllText(_t._temp.Combine("dst", "differs.txt")));
        }
    }

    public sealed class Overlap : IDisposable
    {
        private readonly StreamingPlanTests _t = new();

        public void Dispose() => _t.Dispose();

        [Fact]
        public async Task TheFirstTransfer_StartsBeforeTheSourceListingEnds()
        {
            var source = NewMemory("src");
            var target = NewMemory("dst");
            var keys = Enumerable.Range(0, 20).Select(i => $"k{i:D2}").ToArray();
            await WriteAsync(source, keys);
            var destination = Scripted(target, (listing, _) => listing);
            bool writeSeenWhileListing = false;
            var holding = Scripted(source, (listing, _) => HoldHalfway(listing));

            var result = await Engine(new ListLogger(), (source, holding), (target, destination)).SyncAsync(source, target);

            Assert.True(writeSeenWhileListing, "no transfer started within 60 s while the listing waited for one");
            Assert.Equal(keys, result.Transferred);

            async IAsyncEnumerable<StorageEntry> HoldHalfway(IAsyncEnumerable<StorageEntry> listing)
            {
                int listed = 0;
                await foreach (var entry in listing)
                {
                    if (listed++ == keys.Length / 2)
                    {
                        // Bounded: if the engine waited for the whole listing, this gives up after a minute and the test fails.
                        await Task.WhenAny(destination.FirstWrite, Task.Delay(TimeSpan.FromSeconds(60)));
                        writeSeenWhileListing = destination.FirstWrite.IsCompleted;
                    }

                    yield return entry;
                }
            }
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task AListingThatFailsMidway_FailsTheSync_AndDeletesNothing(bool sourceFails)
        {
            var source = NewMemory("src");
            var target = NewMemory("dst");
            var keys = Enumerable.Range(0, 20).Select(i => $"k{i:D2}").ToArray();
            await WriteAsync(source, keys);
            await WriteAsync(target, [.. keys[..5], "old1", "old2", "zz-old3"]);
            var failure = new StorageException(StorageErrorKind.Permanent, "the disk went away");
            var failing = Scripted(sourceFails ? source : target, (listing, _) => ScriptedListingStorage.FailingAfter(listing, 6, failure));
            var counting = sourceFails ? Scripted(target, (listing, _) => listing) : failing;

            var ex = await Assert.ThrowsAsync<StorageException>(() => Engine(new ListLogger(), (sourceFails ? source : target, failing), (target, counting)).SyncAsync(source, target, new SyncOptions { Delete = true }));

            Assert.Same(failure, ex);
            Assert.Equal(0, counting.Deletes);
            Assert.Superset(new HashSet<string> { "old1", "old2", "zz-old3" }, (await KeysAsync(target)).ToHashSet());
        }

        [Fact]
        public async Task AListingThatFailsWhileSpilling_RemovesTheSpillFolder()
        {
            var source = NewMemory("src");
            var target = NewMemory("dst");
            await WriteAsync(source, Enumerable.Range(0, 20).Select(i => $"k{i:D2}").ToArray());
            await WriteAsync(target, "old");
            var failure = new StorageException(StorageErrorKind.Permanent, "the disk went away");
            var failing = Scripted(source, (listing, _) => ScriptedListingStorage.FailingAfter(ScriptedListingStorage.Reversed(listing), 15, failure));
            var counting = Scripted(target, (listing, _) => listing);
            string spill = _t._temp.Combine("spill");
            Directory.CreateDirectory(spill);
            var logger = new ListLogger();

            await Assert.ThrowsAsync<StorageException>(() => Engine(logger, (source, failing), (target, counting)).SyncAsync(source, target, new SyncOptions { Delete = true, SortMemoryEntries = 4, SpillParent = spill }));

            Assert.Contains(logger.Lines, l => l.StartsWith("Debug: Spilled listing entries beyond 4", StringComparison.Ordinal));
            Assert.Empty(Directory.EnumerateFileSystemEntries(spill));
            Assert.Equal(0, counting.Deletes);
        }
    }

    public sealed class Parts
    {
        [Theory]
        [InlineData(200)]
        [InlineData(1000)] // More runs than one merge opens at once: the earliest are merged first.
        public void ExternalSort_MergesSpilledRuns_InKeyOrder_KeepingDuplicatesInListingOrder(int count)
        {
            using var spill = new SpillFolder();
            var sorter = new ExternalSort(spill, memoryEntries: 7);
            var random = new Random(14);
            string[] alphabet = ["a", "b", "/", "-", "\uE000", "\U0001F600", "\u00e9"];
            var entries = Enumerable.Range(0, count)
                .Select(i => new StorageEntry(string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => alphabet[random.Next(alphabet.Length)])), i, Time))
                .ToList();
            entries.ForEach(sorter.Add);

            var sorted = sorter.ReadSorted().ToList();

            Assert.Equal((count + 6) / 7, sorter.RunsSpilled);
            Assert.Equal(entries.OrderBy(e => e.Key, KeyOrder.Instance).Select(e => (e.Key, e.Size)), sorted.Select(e => (e.Key, e.Size)));
        }

        [Fact]
        public void SpilledPairs_ReadBackEveryEntry_InTheOrderAdded()
        {
            using var spill = new SpillFolder();
            var pairs = new SpilledPairs(spill, memoryEntries: 3);
            var added = Enumerable.Range(0, 10).Select(i => new StoragePair(null, new StorageEntry($"k{i}", i, Time, i % 2 == 0 ? "abc" : null) { ETag = "\"e\"" })).ToList();
            added.ForEach(pairs.Add);

            Assert.Equal(added, pairs.Read().ToList());
            Assert.Equal(10, pairs.Count);
            Assert.NotNull(spill.Path);
        }

        [Fact]
        public void PlanBuilder_CountsEveryUnchangedAndExtraneousEntry_ButKeepsOnlyTheSampleLimit()
        {
            var builder = new PlanBuilder();
            for (int i = 0; i < SyncPlan.SampleLimit + 5; i++)
            {
                builder.AddUnchanged(new StorageEntry($"u{i}", 1, Time));
                builder.AddExtraneous(new StorageEntry($"x{i}", 1, Time));
            }

            var plan = builder.Build();

            Assert.Equal(SyncPlan.SampleLimit + 5, plan.UnchangedCount);
            Assert.Equal(SyncPlan.SampleLimit + 5, plan.ExtraneousCount);
            Assert.Equal(SyncPlan.SampleLimit, plan.Unchanged.Count);
            Assert.Equal(SyncPlan.SampleLimit, plan.Extraneous.Count);
        }
    }
}
