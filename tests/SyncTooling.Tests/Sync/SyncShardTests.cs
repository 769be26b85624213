using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Sync;

public sealed class SyncShardTests
{
    public sealed class Parsing
    {
        [Theory]
        [InlineData("1/1", 1, 1)]
        [InlineData("3/4", 3, 4)]
        [InlineData("100000/100000", 100000, 100000)]
        public void KOverN_Parses(string text, int index, int count)
        {
            var shard = SyncShard.Parse(text);

            Assert.Equal((index, count, text), (shard.Index, shard.Count, shard.ToString()));
        }

        [Theory]
        [InlineData("")]
        [InlineData("2")]
        [InlineData("0/3")]
        [InlineData("4/3")]
        [InlineData("1/0")]
        [InlineData("-1/3")]
        [InlineData("+1/3")]
        [InlineData(" 1/3")]
        [InlineData("1/3/5")]
        [InlineData("1/100001")]
        [InlineData("1/99999999999")]
        [InlineData("a/b")]
        [InlineData("１/３")]
        public void AnythingElse_IsRefused_SayingWhatIsAllowed(string text)
        {
            var ex = Assert.Throws<FormatException>(() => SyncShard.Parse(text));

            Assert.False(SyncShard.TryParse(text, out var shard));
            Assert.Null(shard);
            Assert.Equal($"The shard is '{text}'; it must be K/N, shard K of N, with 1 <= K <= N <= 100000 (numbered from 1, e.g. 1/4).", ex.Message);
        }

        [Theory]
        [InlineData(0, 3)]
        [InlineData(4, 3)]
        [InlineData(1, 0)]
        public void TheConstructor_RefusesTheSameValues(int index, int count) =>
            Assert.Throws<ArgumentOutOfRangeException>(() => new SyncShard(index, count));
    }

    public sealed class Hashing
    {
        [Fact]
        public void TheHash_IsXxHash64OfTheUtf8Bytes_AsPublished()
        {
            // The published XXH64 test vectors (seed 0): "" is 0xEF46DB3751D8E999, "a" is 0xD24EC4F1A98C6E5B.
            Assert.Equal((int)(0xEF46DB3751D8E999 % 7) + 1, SyncShard.Of(string.Empty, 7));
            Assert.Equal((int)(0xD24EC4F1A98C6E5B % 1000) + 1, SyncShard.Of("a", 1000));
        }

        [Fact]
        public void EveryKey_IsInExactlyOneShard_AndTheShardsAreBalanced()
        {
            var keys = Enumerable.Range(0, 4000).Select(i => $"run/d{i % 37}/ckpt-{i}.bin").Append("ü n i/ç ø.txt").ToList();

            var owners = keys.Select(k => Enumerable.Range(1, 4).Where(i => new SyncShard(i, 4).Contains(k)).ToList()).ToList();
            var sizes = Enumerable.Range(1, 4).Select(i => keys.Count(new SyncShard(i, 4).Contains)).ToList();

            Assert.All(owners, o => Assert.Single(o));
            Assert.All(sizes, n => Assert.InRange(n, 800, 1200));
            Assert.All(keys, k => Assert.True(new SyncShard(1, 1).Contains(k)));
        }
    }

    /// <summary>Shards of one sync through the engine: together the same as one sync, each key moved once, deletes within the shard.</summary>
    public sealed class InTheEngine : IDisposable
    {
        private readonly TempDirectory _temp = new();
        private readonly SyncEngine _engine = new();

        public void Dispose() => _temp.Dispose();

        private string Source(int count)
        {
            for (int i = 0; i < count; i++)
            {
                _temp.Write($"src/d{i % 5}/f{i}.txt", $"content {i}");
            }

            return _temp.Combine("src");
        }

        [Fact]
        public async Task ThreeShards_TogetherMatchOneSync_EachKeyTransferredOnce()
        {
            string source = Source(60);
            string sharded = $"memory://shards/{Guid.NewGuid():N}";
            string whole = $"memory://shards/{Guid.NewGuid():N}";

            var results = new List<SyncResult>();
            for (int k = 1; k <= 3; k++)
            {
                results.Add(await _engine.SyncAsync(StorageUri.Parse(source), StorageUri.Parse(sharded), new SyncOptions { Shard = new SyncShard(k, 3) }));
            }

            var one = await _engine.SyncAsync(StorageUri.Parse(source), StorageUri.Parse(whole));
            var all = results.SelectMany(r => r.Transferred).ToList();

            Assert.Equal(60, all.Count);
            Assert.Equal(one.Transferred.Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
            Assert.All(results, r => Assert.InRange(r.Transferred.Count, 8, 32));
            Assert.Equal(await Snapshot(whole), await Snapshot(sharded));
        }

        [Fact]
        public async Task Delete_RemovesOnlyExtraneousKeysOfItsOwnShard()
        {
            string source = Source(30);
            string remote = $"memory://shards/{Guid.NewGuid():N}";
            await _engine.SyncAsync(StorageUri.Parse(source), StorageUri.Parse(remote));
            var gone = Enumerable.Range(0, 30).Select(i => $"d{i % 5}/f{i}.txt").Where(k => SyncShard.Of(k, 2) == 1).Take(3).ToList();
            var kept = Enumerable.Range(0, 30).Select(i => $"d{i % 5}/f{i}.txt").Where(k => SyncShard.Of(k, 2) == 2).Take(3).ToList();
            foreach (string key in gone.Concat(kept))
            {
                File.Delete(Path.Combine(source, key));
            }

            var second = await _engine.SyncAsync(StorageUri.Parse(source), StorageUri.Parse(remote), new SyncOptions { Shard = new SyncShard(2, 2), Delete = true });
            var first = await _engine.SyncAsync(StorageUri.Parse(source), StorageUri.Parse(remote), new SyncOptions { Shard = new SyncShard(1, 2), Delete = true });

            Assert.Equal(kept.Order(StringComparer.Ordinal), second.Deleted);
            Assert.Equal(gone.Order(StringComparer.Ordinal), first.Deleted);
            Assert.Equal(24, (await Snapshot(remote)).Count);
        }

        [Fact]
        public async Task AShardWhoseSourcePartIsEmpty_IsRefusedLikeAnEmptySource()
        {
            _temp.Write("src/only.txt", "x");
            string remote = $"memory://shards/{Guid.NewGuid():N}";
            var remoteKeys = Enumerable.Range(0, 40).Select(i => $"r{i}.txt").ToList();
            await using (var storage = StorageRegistry.Default.Open(StorageUri.Parse(remote)))
            {
                foreach (string key in remoteKeys)
                {
                    await storage.WriteAsync(key, new MemoryStream([1]), 1, DateTimeOffset.UtcNow);
                }
            }

            int empty = Enumerable.Range(1, 4).First(k => SyncShard.Of("only.txt", 4) != k && remoteKeys.Any(r => SyncShard.Of(r, 4) == k));
            var options = new SyncOptions { Shard = new SyncShard(empty, 4), Delete = true };

            var ex = await Assert.ThrowsAsync<SyncRefusedException>(() => _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote), options));
            var allowed = await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote), options with { AllowEmptySource = true });

            Assert.Equal(SyncGuard.EmptySource, ex.Guard);
            Assert.StartsWith($"Shard {empty}/4 of source '", ex.Message, StringComparison.Ordinal);
            Assert.Equal(remoteKeys.Where(r => SyncShard.Of(r, 4) == empty).Order(StringComparer.Ordinal), allowed.Deleted);
        }

        [Fact]
        public async Task MaxDelete_CountsOnlyTheShardsDeletes()
        {
            string source = Source(40);
            string remote = $"memory://shards/{Guid.NewGuid():N}";
            await _engine.SyncAsync(StorageUri.Parse(source), StorageUri.Parse(remote));
            Directory.Delete(source, recursive: true);
            _temp.Write("src/new.txt", "n");
            int inShard1 = Enumerable.Range(0, 40).Count(i => SyncShard.Of($"d{i % 5}/f{i}.txt", 2) == 1);

            var refused = await Assert.ThrowsAsync<SyncException>(() => _engine.SyncAsync(StorageUri.Parse(source), StorageUri.Parse(remote), new SyncOptions { Shard = new SyncShard(1, 2), Delete = true, AllowEmptySource = true, MaxDelete = inShard1 - 1 }));
            var done = await _engine.SyncAsync(StorageUri.Parse(source), StorageUri.Parse(remote), new SyncOptions { Shard = new SyncShard(1, 2), Delete = true, AllowEmptySource = true, MaxDelete = inShard1 });

            Assert.Contains($"Refusing to delete {inShard1} files", refused.Message, StringComparison.Ordinal);
            Assert.Equal(inShard1, done.Deleted.Count);
        }

        private static async Task<Dictionary<string, long>> Snapshot(string location)
        {
            var entries = await new SyncEngine().ListAsync(StorageUri.Parse(location));
            return entries.ToDictionary(e => e.Key, e => e.Size, StringComparer.Ordinal);
        }
    }
}
