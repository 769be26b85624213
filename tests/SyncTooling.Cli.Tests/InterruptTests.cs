using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests;

public sealed class InterruptTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task CtrlC_DuringATransfer_ExitsInterruptedWithNoPartialFile()
    {
        _temp.Write("local/big.bin", new string('x', 100_000));
        string local = _temp.Combine("local");
        string remote = _temp.Combine("remote");
        var stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registry = new StorageRegistry().Register("file", uri =>
            uri.Path == local ? new StallingStorage(new FileStorage(uri), stalled) : new FileStorage(uri));
        var console = new TestConsole();

        var run = SyncRun.RunAsync(console, ["up", local, remote, "-q"], registry: registry);
        await stalled.Task;
        console.PressCtrlC();
        var result = await run;

        Assert.Equal(130, result.ExitCode);
        Assert.Equal("error: interrupted; files already written are complete and none was left half-written (the next run resumes a large transfer that was cut off).\n", result.Stderr);
        Assert.Empty(TempDirectory.Snapshot(remote));
    }

    [Fact]
    public async Task CtrlC_OnATerminal_EndsTheProgressLine_SoTheMessageStartsOnItsOwnLine()
    {
        _temp.Write("local/a.txt", "a");
        _temp.Write("local/z.bin", new string('x', 100_000));
        string local = _temp.Combine("local");
        var stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registry = new StorageRegistry().Register("file", uri =>
            uri.Path == local ? new StallingStorage(new FileStorage(uri), stalled, stallOnly: "z.bin") : new FileStorage(uri));
        var console = new TestConsole(outputRedirected: false);

        var run = SyncRun.RunAsync(console, ["up", local, _temp.Combine("remote"), "-j", "1"], registry: registry);
        await stalled.Task;
        console.PressCtrlC();
        var result = await run;

        Assert.Equal(130, result.ExitCode);
        Assert.Contains("\u001b[K1/2 files", result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("\n", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("error: interrupted; files already written are complete and none was left half-written (the next run resumes a large transfer that was cut off).\n", result.Stderr);
    }

    /// <summary>Reads hand over part of the file, then wait until cancelled: a transfer caught mid-file.</summary>
    private sealed class StallingStorage(IStorage inner, TaskCompletionSource stalled, string? stallOnly = null) : IStorage
    {
        public StorageUri Location => inner.Location;

        public StorageCapabilities Capabilities => inner.Capabilities;

        public IAsyncEnumerable<StorageEntry> ListAsync(Func<string, bool>? shouldDescend = null, CancellationToken cancellationToken = default) =>
            inner.ListAsync(shouldDescend, cancellationToken);

        public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) =>
            stallOnly is not null && key != stallOnly
                ? await inner.OpenReadAsync(key, cancellationToken)
                : new StallingStream(await inner.OpenReadAsync(key, cancellationToken), stalled);

        public Task WriteAsync(string key, Stream content, long length, DateTimeOffset lastModified, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(key, content, length, lastModified, cancellationToken);

        public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) => inner.DeleteAsync(keys, cancellationToken);

        public Task DeleteAllAsync(CancellationToken cancellationToken = default) => inner.DeleteAllAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class StallingStream(Stream inner, TaskCompletionSource stalled) : Stream
    {
        private bool _gaveSome;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_gaveSome)
            {
                _gaveSome = true;
                return await inner.ReadAsync(buffer[..Math.Min(buffer.Length, 1000)], cancellationToken);
            }

            stalled.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
