using Microsoft.Extensions.Time.Testing;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that says when the code under test arms a timer, so a test awaits that signal (the
/// loop has finished a sync and set its next timer) instead of polling real time, then moves the clock with
/// <see cref="FakeTimeProvider.Advance"/>. The real-time bound on each wait only turns a hang into a clear failure.
/// </summary>
public sealed class TimerSignalingTimeProvider() : FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
{
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(60);
    private readonly Lock _gate = new();
    private readonly Dictionary<SignalingTimer, DateTimeOffset?> _due = [];
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>Waits until at least <paramref name="count"/> timers are armed.</summary>
    public Task WaitForTimersAsync(int count = 1) => WaitUntilAsync(due => due.Count(d => d is not null) >= count, $"{count} armed timers");

    /// <summary>Waits until a timer is due within <paramref name="within"/> of the fake now.</summary>
    public Task WaitForTimerDueWithinAsync(TimeSpan within) =>
        WaitUntilAsync(due => due.Any(d => d is { } at && at - GetUtcNow() <= within), $"a timer due within {within}");

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new SignalingTimer(this);
        timer.Inner = base.CreateTimer(
            s =>
            {
                timer.Fired();
                callback(s);
            },
            state,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
        timer.Change(dueTime, period);
        return timer;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task WaitUntilAsync(Func<IEnumerable<DateTimeOffset?>, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + HangBound;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition(_due.Values))
                {
                    return;
                }

                changed = _changed.Task;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(changed, Task.Delay(left)) != changed)
            {
                throw new TimeoutException($"Nothing armed {what} within {HangBound.TotalSeconds} s of real time: the code under test is stuck.");
            }
        }
    }

    private void Set(SignalingTimer timer, DateTimeOffset? due, bool disposed = false)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (disposed)
            {
                _due.Remove(timer);
            }
            else
            {
                _due[timer] = due;
            }

            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    private sealed class SignalingTimer(TimerSignalingTimeProvider owner) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public ITimer Inner { get; set; } = null!;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            bool changed = Inner.Change(dueTime, period);
            owner.Set(this, dueTime == Timeout.InfiniteTimeSpan ? null : owner.GetUtcNow() + dueTime);
            return changed;
        }

        /// <summary>A one-shot timer is disarmed once it fires; a periodic one is next due a period later.</summary>
        public void Fired() =>
            owner.Set(this, _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : owner.GetUtcNow() + _period);

        public void Dispose()
        {
            Inner.Dispose();
            owner.Set(this, null, disposed: true);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
