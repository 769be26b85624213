namespace SyncTooling.Sync;

/// <summary>
/// Retries transient failures (as <see cref="ErrorClassifier"/> decides) with exponential backoff and full
/// jitter; permanent failures and cancellation pass through at once. Delays run on the given
/// <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// Policies nest (the engine's per-file policy around a backend's per-request one) without multiplying: a failure that
/// has already used up a policy's retries is marked, and no other policy retries it again. So the retries of the
/// innermost layer that retries a request are the whole bound for that request.
/// </remarks>
public sealed class RetryPolicy
{
    private const string ExhaustedKey = "SyncTooling.RetriesExhausted";

    /// <summary>Creates a policy.</summary>
    /// <param name="maxRetries">Retries after the first attempt, 0 or more.</param>
    /// <param name="baseDelay">The delay before the first retry; doubles each time.</param>
    /// <param name="maxDelay">The largest delay.</param>
    /// <param name="timeProvider">The clock for delays; <see cref="TimeProvider.System"/> when null.</param>
    public RetryPolicy(int maxRetries, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        MaxRetries = maxRetries;
        BaseDelay = baseDelay ?? TimeSpan.FromMilliseconds(200);
        MaxDelay = maxDelay ?? TimeSpan.FromSeconds(10);
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Retries after the first attempt.</summary>
    public int MaxRetries { get; }

    /// <summary>The delay before the first retry.</summary>
    public TimeSpan BaseDelay { get; }

    /// <summary>The largest delay.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>The clock for delays.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Runs <paramref name="operation"/>, retrying transient failures.</summary>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await operation(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ErrorClassifier.IsTransient(ex, cancellationToken) && !WasRetried(ex))
            {
                if (attempt >= MaxRetries)
                {
                    ex.Data[ExhaustedKey] = true;
                    throw;
                }

                await Task.Delay(DelayFor(attempt), TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs <paramref name="operation"/>, retrying transient failures.</summary>
    public Task ExecuteAsync(Func<CancellationToken, Task> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return ExecuteAsync(
            async ct =>
            {
                await operation(ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <summary>True when <paramref name="exception"/> already used up the retries of a policy, so no policy retries it again.</summary>
    public static bool WasRetried(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Data[ExhaustedKey] is true;
    }

    /// <summary>The delay before retry number <paramref name="attempt"/> + 1: a random share of the capped exponential delay.</summary>
    public TimeSpan DelayFor(int attempt)
    {
        double cap = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
        return TimeSpan.FromMilliseconds(cap / 2 + (Random.Shared.NextDouble() * cap / 2));
#pragma warning restore CA5394
    }
}
