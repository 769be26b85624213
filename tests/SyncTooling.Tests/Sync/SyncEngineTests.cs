using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Storage.Memory;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Sync;

public sealed class SyncEngineTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly SyncEngine _engine = new();

    public void Dispose() => _temp.Dispose();

    private string Dir(string name) => _temp.Combine(name);

    private static StorageUri Uri(string location) => StorageUri.Parse(location);

    private string SourceWith(params string[] files)
    {
        foreach (string f in files)
        {
            _temp.Write("src/" + f, "content of " + f);
        }

        return Dir("src");
    }

    public sealed class RoundTrip : IDisposable
    {
        private readonly SyncEngineTests _t = new();

        public void Dispose() => _t.Dispose();

        [Theory]
        [InlineData("file")]
        [InlineData("memory")]
        public async Task UpThenDown_IsByteExact(string remoteKind)
        {
            string source = _t.SourceWith("a.txt", "sub/b.txt", "sub/deep/c.bin", "empty/none.txt", "ü n i/ç ø.txt");
            File.WriteAllBytes(Path.Combine(source, "empty", "none.txt"), []);
            string remote = remoteKind == "file" ? _t.Dir("remote") : $"memory://roundtrip/{Guid.NewGuid():N}";

            var up = await _t._engine.SyncAsync(Uri(source), Uri(remote));
            Assert.Empty(up.Failures);
            var down = await _t._engine.SyncAsync(Uri(remote), Uri(_t.Dir("back")));
            Assert.Empty(down.Failures);

            Assert.Equal(5, up.Transferred.Count);
            Assert.Equal(5, down.Transferred.Count);
            Assert.Equal(TempDirectory.Snapshot(source), TempDirectory.Snapshot(_t.Dir("back")));
        }

        [Fact]
        public async Task ManyFiles_AllArrive()
        {
            for (int i = 0; i < 256; i++)
            {
                _t._temp.Write($"src/d{i % 16}/f{i}.txt", new string('x', i));
            }

            var result = await _t._engine.SyncAsync(Uri(_t.Dir("src")), Uri(_t.Dir("dst")));

            Assert.Equal(256, result.Transferred.Count);
            Assert.Equal(TempDirectory.Snapshot(_t.Dir("src")), TempDirectory.Snapshot(_t.Dir("dst")));
        }

        [Fact]
        public async Task Download_KeepsSourceModificationTime()
        {
            string source = _t.SourceWith("a.txt");
            var stamp = new DateTime(2023, 3, 4, 5, 6, 7, DateTimeKind.Utc);
            File.SetLastWriteTimeUtc(Path.Combine(source, "a.txt"), stamp);

            await _t._engine.SyncAsync(Uri(source), Uri(_t.Dir("dst")));

            Assert.Equal(stamp, File.GetLastWriteTimeUtc(_t._temp.Combine("dst", "a.txt")));
        }

        [Fact]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public async Task LocalCopy_KeepsPermissionBits()
        {
            string source = _t.SourceWith("run.sh");
            File.SetUnixFileMode(Path.Combine(source, "run.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);

            await _t._engine.SyncAsync(Uri(source), Uri(_t.Dir("dst")));

            Assert.Equal(File.GetUnixFileMode(Path.Combine(source, "run.sh")), File.GetUnixFileMode(_t._temp.Combine("dst", "run.sh")));
        }

        [Fact]
        public async Task Progress_EndsAtTotals()
        {
            string source = _t.SourceWith("a.txt", "b.txt", "c.txt");
            var reports = new List<SyncProgress>();
            var progress = new SynchronousProgress<SyncProgress>(p =>
            {
                lock (reports)
                {
                    reports.Add(p);
                }
            });

            var result = await _t._engine.SyncAsync(Uri(source), Uri(_t.Dir("dst")), progress: progress);

            var last = reports.MaxBy(r => r.FilesDone);
            Assert.Equal(3, last.FilesDone);
            Assert.Equal(3, last.FilesTotal);
            Assert.Equal(result.Plan.BytesToTransfer, last.BytesTotal);
            Assert.Equal(result.BytesTransferred, reports.Max(r => r.BytesDone));
        }
    }

    public sealed class ChangeDetection : IDisposable
    {
        private readonly SyncEngineTests _t = new();

        public void Dispose() => _t.Dispose();

        [Fact]
        public async Task NoChangeResync_TransfersNothing()
        {
            string source = _t.SourceWith("a.txt", "b/c.txt");
            await _t._engine.SyncAsync(Uri(source), Uri(_t.Dir("dst")));

            var again = await _t._engine.SyncAsync(Uri(source), Uri(_t.Dir("dst")));

            Assert.Empty(again.Transferred);
            Assert.Equal(2, again.Plan.Unchanged.Count);
        }

        [Fact]
        public async Task SizeChange_OrNewerSource_IsTransferred_OlderSourceIsNot()
        {
            string source = _t.SourceWith("size.txt", "newer.txt", "older.txt");
            await _t._engine.SyncAsync(Uri(source), Uri(_t.Dir("dst")));
            File.AppendAllText(Path.Combine(source, "size.txt"), "more");
            File.WriteAllText(Path.Combine(source, "newer.txt"), "CONTENT OF NEWER.TXT");
            File.SetLastWriteTimeUtc(Path.Combine(source, "newer.txt"), DateTime.UtcNow.AddMinutes(5));
            File.WriteAllText(Path.Combine(source, "older.txt"), "CONTENT OF OLDER.TXT");
            File.SetLastWriteTimeUtc(Path.Combine(source, "older.txt"), DateTime.UtcNow.AddYears(-1));

            var result = await _t._engine.SyncAsync(Uri(source), Uri(_t.Dir("dst")));

            Assert.Equal(["newer.txt", "size.txt"], result.Transferred);
        }

        [Fact]
        public async Task Checksum_FindsSameSizeSameTimeEdits()
        {
            string source = _t.SourceWith("a.txt");
            await _t._engine.SyncAsync(Uri(source), Uri(_t.Dir("dst")));
            string target = _t._temp.Combine("dst", "a.txt");
            var stamp = File.GetLastWriteTimeUtc(target);
            File.WriteAllText(target, "CONTENT OF A.TXT");
            File.SetLastWriteTimeUtc(target, stamp);

            var byTime = await _t._engine.SyncAsync(Uri(source), Uri(_t.Dir("dst")), new SyncOptions { DryRun = true });
            var byHash = await _t._engine.SyncAsync(Uri(source), Uri(_t.Dir("dst")), new SyncOptions { Checksum = true });

            Assert.Empty(byTime.Transferred);
            Assert.Equal(["a.txt"], byHash.Transferred);
            Assert.Equal("content of a.txt", File.ReadAllText(target));
        }
    }

    public sealed class Deleting : IDisposable
    {
        private readonly SyncEngineTests _t = new();

        public void Dispose() => _t.Dispose();

        [Fact]
        public async Task ExtraneousFiles_AreKeptByDefault_AndDeletedWhenAsked()
        {
            string source = _t.SourceWith("keep.txt");
            _t._temp.Write("dst/extra.txt", "x");
            _t._temp.Write("dst/sub/extra2.txt", "x");

            var kept = await _t._engine.SyncAsync(Uri(source), Uri(_t.Dir("dst")));
            Assert.Equal(2, kept.ExtraneousKept);
            Assert.True(File.Exists(_t._temp.Combine("dst", "extra.txt")));

            var mirrored = await _t._engine.SyncAsync(Uri(source), Uri(_t.Dir("dst")), new SyncOptions { Delete = true });

            Assert.Equal(["extra.txt", "sub/extra2.txt"], mirrored.Deleted);
            Assert.Equal(["keep.txt"], TempDirectory.Snapshot(_t.Dir("dst")).Keys);
        }

        [Fact]
        public async Task ExcludedDestinationFiles_AreNeverDeleted()
        {
            string source = _t.SourceWith("a.txt");
            _t._temp.Write("dst/cache/big.bin", "x");

            await _t._engine.SyncAsync(Uri(source), Uri(_t.Dir("dst")), new SyncOptions { Delete = true, Exclude = ["cache/"] });

            Assert.True(File.Exists(_t._temp.Combine("dst", "cache", "big.bin")));
        }

        [Fact]
        public async Task MissingSource_ChangesNothing_EvenWithDelete()
        {
            _t._temp.Write("dst/precious.txt", "x");
            var before = TempDirectory.Snapshot(_t.Dir("dst"));

            var ex = await Assert.ThrowsAsync<SourceNotFoundException>(() =>
                _t._engine.SyncAsync(Uri(_t.Dir("does-not-exist")), Uri(_t.Dir("dst")), new SyncOptions { Delete = true }));

            Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
            Assert.Equal(before, TempDirectory.Snapshot(_t.Dir("dst")));
        }

        [Fact]
        public async Task EmptyObjectStorePrefix_IsTreatedAsMissing()
        {
            _t._temp.Write("dst/precious.txt", "x");

            await Assert.ThrowsAsync<SourceNotFoundException>(() =>
                _t._engine.SyncAsync(Uri($"memory://empty/{Guid.NewGuid():N}"), Uri(_t.Dir("dst")), new SyncOptions { Delete = true }));

            Assert.True(File.Exists(_t._temp.Combine("dst", "precious.txt")));
        }

        [Fact]
        public async Task MaxDelete_RefusesLargerDeletions_BeforeChangingAnything()
        {
            string source = _t.SourceWith("new.txt");
            for (int i = 0; i < 5; i++)
            {
                _t._temp.Write($"dst/old{i}.txt", "x");
            }

            var before = TempDirectory.Snapshot(_t.Dir("dst"));

            var ex = await Assert.ThrowsAsync<SyncException>(() =>
                _t._engine.SyncAsync(Uri(source), Uri(_t.Dir("dst")), new SyncOptions { Delete = true, MaxDelete = 3 }));

            Assert.Equal($"Refusing to delete 5 files from '{_t.Dir("dst")}': more than the limit of 3 (max-delete). Nothing was transferred or deleted.", ex.Message);
            Assert.Equal(before, TempDirectory.Snapshot(_t.Dir("dst")));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task EmptySource_WithDelete_IsRefused_BeforeChangingAnything(bool dryRun)
        {
            Directory.CreateDirectory(_t.Dir("src"));
            _t._temp.Write("dst/precious.txt", "x");
            _t._temp.Write("dst/sub/more.txt", "y");
            var before = TempDirectory.Snapshot(_t.Dir("dst"));

            var ex = await Assert.ThrowsAsync<SyncRefusedException>(() =>
                _t._engine.SyncAsync(Uri(_t.Dir("src")), Uri(_t.Dir("dst")), new SyncOptions { Delete = true, DryRun = dryRun }));

            Assert.Equal(SyncGuard.EmptySource, ex.Guard);
            Assert.Equal(
                $"Source '{_t.Dir("src")}' is empty (a mount that is not there?), so mirroring it would delete all 2 files in '{_t.Dir("dst")}'. Nothing was changed; SyncOptions.AllowEmptySource forces it.",
                ex.Message);
            Assert.Equal(before, TempDirectory.Snapshot(_t.Dir("dst")));
        }

        [Fact]
        public async Task EmptySource_WithDeleteAndAllowEmptySource_EmptiesTheDestination()
        {
            Directory.CreateDirectory(_t.Dir("src"));
            _t._temp.Write("dst/precious.txt", "x");

            var result = await _t._engine.SyncAsync(Uri(_t.Dir("src")), Uri(_t.Dir("dst")), new SyncOptions { Delete = true, AllowEmptySource = true });

            Assert.Equal(["precious.txt"], result.Deleted);
            Assert.Empty(TempDirectory.Snapshot(_t.Dir("dst")));
        }

        [Fact]
        public async Task EmptySource_WithDelete_AndNothingToDelete_Succeeds()
        {
            Directory.CreateDirectory(_t.Dir("src"));
            Directory.CreateDirectory(_t.Dir("dst"));

            var result = await _t._engine.SyncAsync(Uri(_t.Dir("src")), Uri(_t.Dir("dst")), new SyncOptions { Delete = true });

            Assert.True(result.Succeeded);
            Assert.Empty(result.Deleted);
        }

        [Fact]
        public async Task SourceWithOnlyExcludedFiles_IsNotEmpty_SoDeleteGoesAhead()
        {
            string source = _t.SourceWith("scratch.tmp");
            _t._temp.Write("dst/old.txt", "x");

            var result = await _t._engine.SyncAsync(Uri(source), Uri(_t.Dir("dst")), new SyncOptions { Delete = true, Exclude = ["*.tmp"] });

            Assert.Equal(["old.txt"], result.Deleted);
        }

        [Fact]
        public async Task DryRun_ReportsThePlan_AndChangesNothing()
        {
            string source = _t.SourceWith("new.txt");
            _t._temp.Write("dst/old.txt", "x");

            var result = await _t._engine.SyncAsync(Uri(source), Uri(_t.Dir("dst")), new SyncOptions { Delete = true, DryRun = true });

            Assert.True(result.DryRun);
            Assert.Equal(["new.txt"], result.Transferred);
            Assert.Equal(["old.txt"], result.Deleted);
            Assert.Equal(["old.txt"], TempDirectory.Snapshot(_t.Dir("dst")).Keys);
        }
    }

    public sealed class Failures : IDisposable
    {
        private readonly SyncEngineTests _t = new();

        public void Dispose() => _t.Dispose();

        private (SyncEngine Engine, FaultyStorage? Source) EngineWithFaultySource(Func<string, int, Exception?> fault)
        {
            FaultyStorage? faulty = null;
            var registry = new StorageRegistry()
                .Register("file", uri => new FileStorage(uri))
                .Register("memory", uri => faulty = new FaultyStorage(new MemoryStorage(uri), fault));
            return (new SyncEngine(registry), faulty);
        }

        private async Task<string> RemoteWithAsync(params string[] keys)
        {
            string remote = $"memory://failures/{Guid.NewGuid():N}";
            foreach (string key in keys)
            {
                _t._temp.Write("seed/" + key, new string('z', 100_000));
            }

            await new SyncEngine().SyncAsync(Uri(_t.Dir("seed")), Uri(remote));
            return remote;
        }

        [Fact]
        public async Task DownloadInterruptedMidFile_LeavesNoPartialFile()
        {
            string remote = await RemoteWithAsync("big.bin", "ok.txt");
            var (engine, _) = EngineWithFaultySource((key, _) => key == "big.bin" ? new StorageException(StorageErrorKind.Permanent, "connection lost") : null);

            var result = await engine.SyncAsync(Uri(remote), Uri(_t.Dir("down")));

            var failure = Assert.Single(result.Failures);
            Assert.Equal("big.bin", failure.Key);
            Assert.Equal(["ok.txt"], Directory.GetFiles(_t.Dir("down")).Select(Path.GetFileName));
        }

        [Fact]
        public async Task Progress_ReportsAFailedFileAsFailed_NeverAsTransferred()
        {
            string remote = await RemoteWithAsync("bad.bin", "ok.txt");
            var (engine, _) = EngineWithFaultySource((key, _) => key == "bad.bin" ? new StorageException(StorageErrorKind.Permanent, "connection lost") : null);
            var reports = new List<SyncProgress>();
            var progress = new SynchronousProgress<SyncProgress>(p =>
            {
                lock (reports)
                {
                    reports.Add(p);
                }
            });

            await engine.SyncAsync(Uri(remote), Uri(_t.Dir("down")), new SyncOptions { Jobs = 1, Retries = 0 }, progress);

            var bad = Assert.Single(reports, r => r.LastKey == "bad.bin");
            var ok = Assert.Single(reports, r => r.LastKey == "ok.txt");
            Assert.Equal((1, "connection lost"), (bad.FilesFailed, bad.LastKeyError));
            Assert.Null(ok.LastKeyError);
            Assert.Equal((2, 1), (reports.Max(r => r.FilesDone), reports.Max(r => r.FilesFailed)));
        }

        [Fact]
        public async Task CancelledDownload_LeavesNoPartialFile()
        {
            string remote = await RemoteWithAsync("big.bin");
            using var cts = new CancellationTokenSource();
            var (engine, _) = EngineWithFaultySource((_, _) =>
            {
                cts.Cancel();
                return new OperationCanceledException(cts.Token);
            });

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.SyncAsync(Uri(remote), Uri(_t.Dir("down")), cancellationToken: cts.Token));

            Assert.Empty(Directory.Exists(_t.Dir("down")) ? Directory.GetFiles(_t.Dir("down"), "*", SearchOption.AllDirectories) : []);
        }

        [Fact]
        public async Task TransientFailure_IsRetried()
        {
            string remote = await RemoteWithAsync("a.bin");
            var (engine, _) = EngineWithFaultySource((_, attempt) => attempt < 3 ? new StorageException(StorageErrorKind.Transient, "503 SlowDown") : null);

            var result = await engine.SyncAsync(Uri(remote), Uri(_t.Dir("down")), new SyncOptions { Retries = 3 });

            Assert.True(result.Succeeded);
            Assert.Equal(TempDirectory.Snapshot(_t.Dir("seed")), TempDirectory.Snapshot(_t.Dir("down")));
        }

        [Fact]
        public async Task PermanentFailure_IsNotRetried_AndBlocksDeletes()
        {
            string remote = await RemoteWithAsync("a.bin");
            _t._temp.Write("down/extra.txt", "keep me");
            FaultyStorage? source = null;
            var registry = new StorageRegistry()
                .Register("file", uri => new FileStorage(uri))
                .Register("memory", uri => source = new FaultyStorage(new MemoryStorage(uri), (_, _) => new StorageException(StorageErrorKind.AccessDenied, "denied")));

            var result = await new SyncEngine(registry).SyncAsync(Uri(remote), Uri(_t.Dir("down")), new SyncOptions { Delete = true, Retries = 5 });

            Assert.False(result.Succeeded);
            Assert.Equal(1, source!.ReadsOf("a.bin"));
            Assert.Empty(result.Deleted);
            Assert.True(File.Exists(_t._temp.Combine("down", "extra.txt")));
        }

        [Fact]
        public async Task BadOptions_AreRejected_WithTheAllowedRange()
        {
            var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
                _t._engine.SyncAsync(Uri(_t.SourceWith("a")), Uri(_t.Dir("d")), new SyncOptions { Jobs = 0 }));

            Assert.StartsWith("Jobs is 0; it must be between 1 and 256.", ex.Message, StringComparison.Ordinal);
            Assert.False(Directory.Exists(_t.Dir("d")));
        }
    }
}

/// <summary>Local to local, the copy keeps the source's modification time to the nanosecond (as downloads do; docs/storage.md).</summary>
public sealed class LocalTimesTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ALocalCopy_KeepsEveryNanosecond_AndTheNextSyncHasNothingToDo()
    {
        string[] times = ["1700000000.123456789", "1600000000.000000001", "1500000000.5", "-1.000000003"];
        for (int i = 0; i < times.Length; i++)
        {
            _temp.Write($"src/d{i}/f{i}.txt", "file " + i);
            FileTimes.Set(_temp.Combine("src", $"d{i}", $"f{i}.txt"), times[i]);
        }

        var engine = new SyncEngine();
        await engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(_temp.Combine("dst")));
        var again = await engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(_temp.Combine("dst")));

        Assert.Equal(FileTimes.Snapshot(_temp.Combine("src")), FileTimes.Snapshot(_temp.Combine("dst")));
        Assert.Empty(again.Transferred);
    }
}

/// <summary>Calls the handler on the reporting thread (Progress&lt;T&gt; posts to the thread pool, which races asserts).</summary>
public sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
