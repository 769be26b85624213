using System.Collections.Concurrent;
using SyncTooling.Storage;

namespace SyncTooling.Tests.Storage;

/// <summary>
/// The part pipeline's memory: never more part buffers than parts in flight, however many parts and whichever threads
/// they finish on (the shared array pool kept one buffer per returning thread: 137 MiB for a 256 MiB upload).
/// </summary>
public sealed class PartUploaderTests
{
    private const int PartSize = 64 * 1024;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task ManyParts_FinishingOnManyThreads_UseNoMoreBuffersThanPartsInFlight(int partsInFlight)
    {
        using var uploader = new PartUploader(PartSize, partsInFlight, PartLimits.S3 with { MinPartSize = 1 });
        var buffers = new ConcurrentDictionary<byte[], byte>(ReferenceEqualityComparer.Instance);
        var threads = new ConcurrentDictionary<int, byte>();
        byte[] content = new byte[(64 * PartSize) + 123];
        Random.Shared.NextBytes(content);

        var parts = await uploader.UploadAsync(new MemoryStream(content), content.Length, async (number, data, ct) =>
        {
            buffers.TryAdd(data.Array!, 0);
            byte[] copy = data.ToArray();
            // Finish on another pool thread, as a real part does after its HTTP request.
            await Task.Delay(1 + (number % 3), ct);
            threads.TryAdd(Environment.CurrentManagedThreadId, 0);
            return copy;
        });

        Assert.Equal(content, parts.SelectMany(p => p).ToArray());
        Assert.True(buffers.Count <= partsInFlight, $"{buffers.Count} buffers for {partsInFlight} parts in flight (parts finished on {threads.Count} threads)");
    }
}
