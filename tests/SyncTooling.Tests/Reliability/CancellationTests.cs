using System.Security.Cryptography;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Reliability;

/// <summary>A sync cancelled through its CancellationToken mid-file: nothing partial at a final path on either side, and a rerun completes.</summary>
[Collection("s3rver")]
public sealed class CancellationTests(S3Server server) : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly SyncEngine _engine = new(server.Registry);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SyncDown_CancelledMidFile_LeavesNoPartialFile_OnlyTheTempFilesItsRecordsResume_AndTheRerunIsByteExact()
    {
        var expected = WriteLargeFiles("src");
        string remote = server.Location($"cancel/{Guid.NewGuid():N}");
        await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote));
        string target = _temp.Combine("target");
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _engine.SyncAsync(StorageUri.Parse(remote), StorageUri.Parse(target), new SyncOptions { Jobs = 2 }, CancelAfterBytes(20 * 1024 * 1024, cancel), cancel.Token));
        var afterCancel = TempDirectory.Snapshot(target);
        var finals = afterCancel.Where(f => !Path.GetFileName(f.Key).StartsWith(FileStorage.TempPrefix, StringComparison.Ordinal)).ToList();
        var temps = afterCancel.Keys.Except(finals.Select(f => f.Key)).Select(Path.GetFileName).ToList();
        var resumable = PartialDownloads.Open(PrivateStateDirectory.Path, StorageUri.Parse(remote), StorageUri.Parse(target)).All().Select(r => r.Temp).ToList();
        var rerun = await _engine.SyncAsync(StorageUri.Parse(remote), StorageUri.Parse(target));

        Assert.True(finals.Count < expected.Count, "the sync finished before the cancellation");
        Assert.All(finals, f => Assert.Equal(expected[f.Key], f.Value));
        Assert.All(temps, t => Assert.Contains(t, resumable)); // large downloads keep their temp file to continue it
        Assert.Empty(rerun.Failures);
        Assert.Equal(expected, TempDirectory.Snapshot(target));
    }

    [Fact]
    public async Task SyncUp_CancelledMidUpload_LeavesNoPartialObject_AndTheRerunIsByteExact()
    {
        var expected = WriteLargeFiles("src");
        string remote = server.Location($"cancel/{Guid.NewGuid():N}");
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote), new SyncOptions { Jobs = 2 }, CancelAfterBytes(20 * 1024 * 1024, cancel), cancel.Token));
        var listed = await _engine.ListAsync(StorageUri.Parse(remote));
        var rerun = await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote));
        await _engine.SyncAsync(StorageUri.Parse(remote), StorageUri.Parse(_temp.Combine("check")));

        Assert.True(listed.Count < expected.Count, "the sync finished before the cancellation");
        Assert.All(listed, e => Assert.Equal(16 * 1024 * 1024, e.Size));
        Assert.Empty(rerun.Failures);
        Assert.Equal(expected, TempDirectory.Snapshot(_temp.Combine("check")));
    }

    private SortedDictionary<string, string> WriteLargeFiles(string folder)
    {
        Directory.CreateDirectory(_temp.Combine(folder));
        for (int i = 0; i < 4; i++)
        {
            File.WriteAllBytes(_temp.Combine(folder, $"part{i}.bin"), RandomNumberGenerator.GetBytes(16 * 1024 * 1024));
        }

        return TempDirectory.Snapshot(_temp.Combine(folder));
    }

    private static Progress CancelAfterBytes(long bytes, CancellationTokenSource cancel) => new(p =>
    {
        if (p.BytesDone >= bytes)
        {
            cancel.Cancel();
        }
    });

    /// <summary>Reports synchronously, on the transferring thread, so the cancellation lands mid-file.</summary>
    private sealed class Progress(Action<SyncProgress> report) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => report(value);
    }
}
