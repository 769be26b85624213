namespace SyncTooling.Cli.Watch;

/// <summary>
/// Runs a sync at start and then once per period (start to start; a sync that overruns the period is followed
/// at once by the next, never overlapped), until <c>stop</c>; then one final sync, which only
/// <c>forceQuit</c> can cut short. With a poll interval, <c>poll</c> also runs after each sync and every
/// interval in between (for checkpoints, which must not wait a whole period). Time comes from a
/// <see cref="TimeProvider"/> so tests never sleep.
/// </summary>
internal sealed class WatchLoop(TimeProvider timeProvider, TimeSpan period, Func<WatchRun, CancellationToken, Task> syncOnce, TimeSpan? pollInterval = null, Func<CancellationToken, Task>? poll = null)
{
    /// <summary>Syncs run so far, including failed ones.</summary>
    public int Runs { get; private set; }

    /// <summary>Runs the loop; exceptions of periodic syncs go to <paramref name="onFailure"/>, the final sync's propagate.</summary>
    public async Task RunAsync(Func<WatchRun, Exception, Task> onFailure, CancellationToken stop, CancellationToken forceQuit)
    {
        ArgumentNullException.ThrowIfNull(onFailure);
        var nextSync = timeProvider.GetUtcNow();
        while (!stop.IsCancellationRequested)
        {
            if (timeProvider.GetUtcNow() >= nextSync)
            {
                nextSync = timeProvider.GetUtcNow() + period;
                var run = new WatchRun(++Runs, IsFinal: false, IsFirst: Runs == 1);
                try
                {
                    await syncOnce(run, forceQuit).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !forceQuit.IsCancellationRequested)
                {
                    await onFailure(run, ex).ConfigureAwait(false);
                }
            }

            if (poll is not null)
            {
                await poll(forceQuit).ConfigureAwait(false);
            }

            var wait = nextSync - timeProvider.GetUtcNow();
            if (pollInterval is { } interval && interval < wait)
            {
                wait = interval;
            }

            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, timeProvider, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    break;
                }
            }
        }

        await syncOnce(new WatchRun(++Runs, IsFinal: true, IsFirst: Runs == 1), forceQuit).ConfigureAwait(false);
    }
}

/// <summary>One sync of a watch: its number, and whether it is the final one.</summary>
internal readonly record struct WatchRun(int Number, bool IsFinal, bool IsFirst);
