using SyncTooling.Storage;

namespace SyncTooling.Tests.Storage;

/// <summary>The budget that bounds whole-file upload buffers across transfers: never over capacity, first come first served.</summary>
public sealed class ByteBudgetTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ManyTransfersAtOnce_NeverHoldMoreThanTheCapacity_AndAllGetThrough()
    {
        var budget = new ByteBudget(1000);
        long held = 0;
        long most = 0;

        async Task TransferAsync(int size)
        {
            using var lease = await budget.AcquireAsync(size);
            long now = Interlocked.Add(ref held, size);
            InterlockedMax(ref most, now);
            await Task.Delay(1);
            Interlocked.Add(ref held, -size);
        }

        var random = new Random(14);
        await Task.WhenAll(Enumerable.Range(0, 400).Select(_ => Task.Run(() => TransferAsync(random.Next(0, 700))))).WaitAsync(Bound);

        Assert.InRange(Interlocked.Read(ref most), 1, 1000);
        Assert.Equal(1000, budget.Available);
    }

    [Fact]
    public async Task ALargeWaiter_IsNotOvertakenBySmallOnes()
    {
        var budget = new ByteBudget(10);
        var first = await budget.AcquireAsync(6);
        var large = budget.AcquireAsync(10).AsTask();
        var small = budget.AcquireAsync(2).AsTask();
        await Task.Delay(50);

        // 4 bytes are free and the small one would fit, but the large one came first.
        Assert.False(large.IsCompleted);
        Assert.False(small.IsCompleted);

        first.Dispose();
        var largeLease = await large.WaitAsync(Bound);
        await Task.Delay(50);
        Assert.False(small.IsCompleted);

        largeLease.Dispose();
        (await small.WaitAsync(Bound)).Dispose();
        Assert.Equal(10, budget.Available);
    }

    [Fact]
    public async Task ACancelledWaiter_LetsTheNextOneThrough_AndHoldsNothing()
    {
        var budget = new ByteBudget(10);
        var first = await budget.AcquireAsync(8);
        using var cancel = new CancellationTokenSource();
        var blocked = budget.AcquireAsync(10, cancel.Token).AsTask();
        var next = budget.AcquireAsync(2).AsTask();
        await Task.Delay(50);
        Assert.False(next.IsCompleted);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked.WaitAsync(Bound));
        (await next.WaitAsync(Bound)).Dispose();
        first.Dispose();
        Assert.Equal(10, budget.Available);
    }

    [Fact]
    public async Task MoreThanTheCapacity_WaitsForAllOfIt_AndALeaseGivesBackOnce()
    {
        var budget = new ByteBudget(10);
        var small = await budget.AcquireAsync(1);
        var huge = budget.AcquireAsync(1_000_000).AsTask();
        await Task.Delay(50);
        Assert.False(huge.IsCompleted);

        small.Dispose();
        small.Dispose();
        var hugeLease = await huge.WaitAsync(Bound);
        Assert.Equal(0, budget.Available);
        hugeLease.Dispose();
        hugeLease.Dispose();
        Assert.Equal(10, budget.Available);
    }

    [Fact]
    public void TheSmallUploadBudget_HoldsAtLeastOneFileAtTheThreshold()
    {
        Assert.Equal(64L * 1024 * 1024, ByteBudget.ForSmallUploads(8L * 1024 * 1024).Capacity);
        Assert.Equal(5L * 1024 * 1024 * 1024, ByteBudget.ForSmallUploads(5L * 1024 * 1024 * 1024).Capacity);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
