using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SyncTooling.Sync;

namespace SyncTooling;

/// <summary>
/// Ray Tune's syncer contract: one sync operation at a time, started in the background by
/// <see cref="SyncUp"/>, <see cref="SyncDown"/> or <see cref="Delete"/> and collected by <see cref="Wait"/>.
/// Subclasses implement the three <c>Core</c> methods; everything else (busy detection, timeouts, retries,
/// the sync period) lives here.
/// </summary>
/// <remarks>
/// Every operation is cancelled when it outlives <see cref="SyncTimeout"/>, and <see cref="Wait"/> throws
/// <see cref="TimeoutException"/> for it. Time comes from the <see cref="TimeProvider"/> given to the
/// constructor, so period and timeout logic can be tested without sleeping. The members are thread-safe.
/// An operation whose <c>Core</c> method hands back a <see cref="SyncResult"/> (see <see cref="SyncUpCoreAsync"/>)
/// makes it the value of <see cref="SyncUpAsync"/>, <see cref="SyncDownAsync"/>, <see cref="WaitAsync"/> and <see cref="LastResult"/>.
/// </remarks>
public abstract partial class Syncer : IDisposable, IAsyncDisposable
{
    /// <summary>Ray's default sync period: 300 seconds.</summary>
    public static readonly TimeSpan DefaultSyncPeriod = TimeSpan.FromSeconds(300);

    /// <summary>Ray's default sync timeout: 30 minutes.</summary>
    public static readonly TimeSpan DefaultSyncTimeout = TimeSpan.FromMinutes(30);

    /// <summary>The longest sync timeout (and period) a timer can run: 4,294,967 seconds, about 49.7 days.</summary>
    public static readonly TimeSpan MaxSyncTimeout = TimeSpan.FromSeconds(4_294_967);

    private readonly object _gate = new();
    private readonly CancellationTokenSource _disposed = new();
    private Operation? _current;
    private Operation? _last;
    private DateTimeOffset? _lastSyncUpTime;
    private DateTimeOffset? _lastSyncDownTime;
    private SyncResult? _lastResult;

    /// <summary>Creates a syncer.</summary>
    /// <param name="syncPeriod">The least time between two syncs started by the <c>IfNeeded</c> methods; <see cref="DefaultSyncPeriod"/> when null.</param>
    /// <param name="syncTimeout">The longest an operation may run; <see cref="DefaultSyncTimeout"/> when null.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Receives warnings about busy and failed operations.</param>
    /// <exception cref="ArgumentOutOfRangeException">A period or timeout is zero or negative.</exception>
    protected Syncer(TimeSpan? syncPeriod = null, TimeSpan? syncTimeout = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        SyncPeriod = syncPeriod ?? DefaultSyncPeriod;
        SyncTimeout = syncTimeout ?? DefaultSyncTimeout;
        if (SyncPeriod <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(syncPeriod), SyncPeriod, $"The sync period is {SyncPeriod}; it must be greater than zero.");
        }

        if (SyncTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(syncTimeout), SyncTimeout, $"The sync timeout is {SyncTimeout}; it must be greater than zero.");
        }

        if (SyncTimeout > MaxSyncTimeout || SyncPeriod > MaxSyncTimeout)
        {
            throw new ArgumentOutOfRangeException(
                SyncTimeout > MaxSyncTimeout ? nameof(syncTimeout) : nameof(syncPeriod),
                $"The sync timeout is {SyncTimeout} and the period {SyncPeriod}; each must be at most {MaxSyncTimeout} (the longest a timer runs).");
        }

        TimeProvider = timeProvider ?? TimeProvider.System;
        Logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// The default choice for <see cref="SyncConfig.Syncer"/>: a placeholder meaning "pick storage by the URI's
    /// scheme". <see cref="SyncConfig.CreateSyncer"/> replaces it with a new syncer; it cannot sync by itself.
    /// </summary>
    public static Syncer Auto { get; } = new AutoPlaceholder();

    /// <summary>The least time between two syncs started by <see cref="SyncUpIfNeeded"/> or <see cref="SyncDownIfNeeded"/>.</summary>
    public TimeSpan SyncPeriod { get; }

    /// <summary>The longest an operation may run before it is cancelled and <see cref="Wait"/> throws <see cref="TimeoutException"/>.</summary>
    public TimeSpan SyncTimeout { get; }

    /// <summary>What the last finished sync did (also one that failed part-way), or null before the first one and for syncers that hand back no result.</summary>
    public SyncResult? LastResult => Volatile.Read(ref _lastResult);

    /// <summary>The clock.</summary>
    protected TimeProvider TimeProvider { get; }

    /// <summary>The logger.</summary>
    protected ILogger Logger { get; }

    /// <summary>Starts syncing <paramref name="localDir"/> up to <paramref name="remoteDir"/> in the background.</summary>
    /// <returns>True when the sync was started; false when the previous operation is still running and younger than <see cref="SyncTimeout"/>.</returns>
    public bool SyncUp(string localDir, string remoteDir, IEnumerable<string>? exclude = null)
    {
        var patterns = Checked(localDir, remoteDir, exclude);
        return TryStart($"sync up '{localDir}' -> '{Shown(remoteDir)}'", ct => SyncUpCoreAsync(localDir, remoteDir, patterns, ct));
    }

    /// <summary>Starts syncing <paramref name="remoteDir"/> down to <paramref name="localDir"/> in the background.</summary>
    /// <returns>True when the sync was started; false when the previous operation is still running.</returns>
    public bool SyncDown(string remoteDir, string localDir, IEnumerable<string>? exclude = null)
    {
        var patterns = Checked(remoteDir, localDir, exclude);
        return TryStart($"sync down '{Shown(remoteDir)}' -> '{localDir}'", ct => SyncDownCoreAsync(remoteDir, localDir, patterns, ct));
    }

    /// <summary>Starts deleting everything below <paramref name="remoteDir"/> in the background.</summary>
    /// <returns>True when the delete was started; false when the previous operation is still running.</returns>
    public bool Delete(string remoteDir)
    {
        ArgumentException.ThrowIfNullOrEmpty(remoteDir);
        ValidateLocations(remoteDir, null);
        return TryStart($"delete '{Shown(remoteDir)}'", ct => DeleteCoreAsync(remoteDir, ct));
    }

    /// <summary>
    /// Starts a sync up when <see cref="SyncPeriod"/> has passed since the last call that was due (the first call
    /// always is). The time of a due call is kept even when the sync was skipped as busy, as in Ray.
    /// </summary>
    /// <returns>True when a sync was started.</returns>
    public bool SyncUpIfNeeded(string localDir, string remoteDir, IEnumerable<string>? exclude = null) =>
        IfNeeded(ref _lastSyncUpTime, () => SyncUp(localDir, remoteDir, exclude));

    /// <summary>Starts a sync down when <see cref="SyncPeriod"/> has passed since the last call that was due.</summary>
    /// <returns>True when a sync was started.</returns>
    public bool SyncDownIfNeeded(string remoteDir, string localDir, IEnumerable<string>? exclude = null) =>
        IfNeeded(ref _lastSyncDownTime, () => SyncDown(remoteDir, localDir, exclude));

    /// <summary>
    /// Waits for the current operation. Rethrows its error; throws <see cref="TimeoutException"/> when it runs
    /// past <see cref="SyncTimeout"/> (it is then cancelled). Returns at once when nothing is running. The
    /// operation is forgotten afterwards either way, so a new one can start.
    /// </summary>
    /// <returns>What the operation did, or null when nothing was running or the syncer hands back no result.</returns>
    public SyncResult? Wait() => WaitAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Waits for the current operation; see <see cref="Wait"/>.</summary>
    /// <returns>What the operation did, or null when nothing was running or the syncer hands back no result.</returns>
    public async Task<SyncResult?> WaitAsync(CancellationToken cancellationToken = default)
    {
        Operation? operation;
        lock (_gate)
        {
            operation = _current;
        }

        if (operation is null)
        {
            return null;
        }

        return await WaitAndForgetAsync(operation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts the last operation again.</summary>
    /// <exception cref="InvalidOperationException">No operation has been started yet.</exception>
    public void Retry()
    {
        ThrowIfDisposed();
        lock (_gate)
        {
            var last = _last ?? throw new InvalidOperationException("No sync operation has been started, so there is nothing to retry.");
            Abandon(_current);
            _current = Launch(last.Description, last.Work, CancellationToken.None);
        }
    }

    /// <summary>
    /// Waits for the current operation; when it fails, waits <paramref name="backoff"/> (5 s by default), retries
    /// and waits again, up to <paramref name="maxRetries"/> times.
    /// </summary>
    /// <returns>What the successful attempt did; see <see cref="Wait"/>.</returns>
    /// <exception cref="SyncException">Every attempt failed; the message says how many retries failed and carries the last error.</exception>
    public SyncResult? WaitOrRetry(int maxRetries = 2, TimeSpan? backoff = null) =>
        WaitOrRetryAsync(maxRetries, backoff, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>The asynchronous form of <see cref="WaitOrRetry"/>.</summary>
    public async Task<SyncResult?> WaitOrRetryAsync(int maxRetries = 2, TimeSpan? backoff = null, CancellationToken cancellationToken = default)
    {
        if (maxRetries < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxRetries), maxRetries, $"maxRetries is {maxRetries}; it must be 1 or more.");
        }

        var delay = backoff ?? TimeSpan.FromSeconds(5);
        if (delay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(backoff), delay, $"backoff is {delay}; it must be zero or more.");
        }

        Exception? lastError = null;
        for (int attempt = 0; attempt <= maxRetries; attempt++)
        {
            try
            {
                return await WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not ObjectDisposedException && !cancellationToken.IsCancellationRequested)
            {
                lastError = ex;
                if (attempt == maxRetries)
                {
                    break;
                }

                LogRetrying(Logger, attempt + 1, maxRetries, delay.TotalSeconds, ex.Message);
                await Task.Delay(delay, TimeProvider, cancellationToken).ConfigureAwait(false);
                Retry();
            }
        }

        throw new SyncException($"Failed sync even after {maxRetries} retries. Latest sync error: {lastError!.Message}", lastError);
    }

    /// <summary>Syncs up and waits; waits first for an operation already running. For idiomatic async use.</summary>
    /// <returns>What the sync did, or null for a syncer that hands back no result.</returns>
    public Task<SyncResult?> SyncUpAsync(string localDir, string remoteDir, IEnumerable<string>? exclude = null, CancellationToken cancellationToken = default)
    {
        var patterns = Checked(localDir, remoteDir, exclude);
        return RunExclusiveAsync($"sync up '{localDir}' -> '{Shown(remoteDir)}'", ct => SyncUpCoreAsync(localDir, remoteDir, patterns, ct), cancellationToken);
    }

    /// <summary>Syncs down and waits; waits first for an operation already running.</summary>
    /// <returns>What the sync did, or null for a syncer that hands back no result.</returns>
    public Task<SyncResult?> SyncDownAsync(string remoteDir, string localDir, IEnumerable<string>? exclude = null, CancellationToken cancellationToken = default)
    {
        var patterns = Checked(remoteDir, localDir, exclude);
        return RunExclusiveAsync($"sync down '{Shown(remoteDir)}' -> '{localDir}'", ct => SyncDownCoreAsync(remoteDir, localDir, patterns, ct), cancellationToken);
    }

    /// <summary>Deletes everything below <paramref name="remoteDir"/> and waits; waits first for an operation already running.</summary>
    public async Task DeleteAsync(string remoteDir, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(remoteDir);
        ValidateLocations(remoteDir, null);
        await RunExclusiveAsync($"delete '{Shown(remoteDir)}'", ct => DeleteCoreAsync(remoteDir, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Cancels the running operation, waits for it to stop, and releases resources.</summary>
    public void Close() => Dispose();

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        Dispose(disposing: false);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Syncs a local directory up to a remote location. A task that is a <see cref="Task{SyncResult}"/> (an
    /// <c>async Task&lt;SyncResult&gt;</c> method) hands its result to the caller; throw a <see cref="SyncException"/>
    /// carrying the <see cref="SyncException.Result"/> for a sync that ran with failures. The same holds for <see cref="SyncDownCoreAsync"/>.
    /// </summary>
    protected abstract Task SyncUpCoreAsync(string localDir, string remoteDir, IReadOnlyList<string> exclude, CancellationToken cancellationToken);

    /// <summary>Syncs a remote location down to a local directory.</summary>
    protected abstract Task SyncDownCoreAsync(string remoteDir, string localDir, IReadOnlyList<string> exclude, CancellationToken cancellationToken);

    /// <summary>Deletes everything below a remote location.</summary>
    protected abstract Task DeleteCoreAsync(string remoteDir, CancellationToken cancellationToken);

    /// <summary>
    /// Checks locations before an operation starts, so bad input fails at the call, not later in the
    /// background. The default accepts anything; throw <see cref="FormatException"/> or <see cref="ArgumentException"/>.
    /// </summary>
    protected virtual void ValidateLocations(string source, string? destination)
    {
    }

    /// <summary>Releases resources; <paramref name="disposing"/> is false when called from <see cref="DisposeAsync"/> after the operation stopped.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            StopAsync().GetAwaiter().GetResult();
        }

        _disposed.Dispose();
    }

    private async Task StopAsync()
    {
        Operation? operation;
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _disposed.Cancel();
            operation = _current;
            _current = null;
        }

        if (operation is not null)
        {
            // Let the cancelled operation unwind (temp files removed), but never hang on one that ignores cancellation.
            await Task.WhenAny(operation.Task, Task.Delay(TimeSpan.FromSeconds(10), TimeProvider.System)).ConfigureAwait(false);
        }
    }

    private bool TryStart(string description, Func<CancellationToken, Task> work)
    {
        ThrowIfDisposed();
        lock (_gate)
        {
            if (_current is { IsRunning: true } running && Age(running) < SyncTimeout)
            {
                LogBusy(Logger, description, running.Description);
                return false;
            }

            Abandon(_current);
            _current = Launch(description, work, CancellationToken.None);
            return true;
        }
    }

    private async Task<SyncResult?> RunExclusiveAsync(string description, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        Operation operation;
        while (true)
        {
            Operation? running;
            lock (_gate)
            {
                running = _current is { IsRunning: true } r ? r : null;
                if (running is null)
                {
                    Abandon(_current);
                    operation = Launch(description, work, cancellationToken);
                    _current = operation;
                    break;
                }
            }

            try
            {
                await WaitForAsync(running, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // The other caller's operation failed; that caller sees its error. We run ours next.
            }
        }

        return await WaitAndForgetAsync(operation, cancellationToken).ConfigureAwait(false);
    }

    private Operation Launch(string description, Func<CancellationToken, Task> work, CancellationToken callerToken)
    {
        var timeout = new CancellationTokenSource(SyncTimeout, TimeProvider);
        var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _disposed.Token, callerToken);
        var task = Task.Run(() => RecordedAsync(work(linked.Token)), linked.Token);
        task.ContinueWith(
            static (_, state) =>
            {
                var (t, l) = ((CancellationTokenSource, CancellationTokenSource))state!;
                l.Dispose();
                t.Dispose();
            },
            (timeout, linked),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        var operation = new Operation(description, work, TimeProvider.GetUtcNow(), task, timeout, linked);
        _last = operation;
        return operation;
    }

    /// <summary>The result a <c>Core</c> method hands back (see <see cref="SyncUpCoreAsync"/>), kept as <see cref="LastResult"/>.</summary>
    private async Task<SyncResult?> RecordedAsync(Task work)
    {
        try
        {
            await work.ConfigureAwait(false);
        }
        catch (SyncException ex) when (ex.Result is not null)
        {
            Volatile.Write(ref _lastResult, ex.Result);
            throw;
        }

        var result = (work as Task<SyncResult>)?.Result;
        if (result is not null)
        {
            Volatile.Write(ref _lastResult, result);
        }

        return result;
    }

    // Waited-for operations are forgotten, failed or not, so the next call can start a new one (as in Ray).
    private async Task<SyncResult?> WaitAndForgetAsync(Operation operation, CancellationToken cancellationToken)
    {
        try
        {
            return await WaitForAsync(operation, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                if (ReferenceEquals(_current, operation))
                {
                    _current = null;
                }
            }
        }
    }

    private async Task<SyncResult?> WaitForAsync(Operation operation, CancellationToken cancellationToken)
    {
        var remaining = operation.StartedAt + SyncTimeout - TimeProvider.GetUtcNow();
        try
        {
            if (remaining <= TimeSpan.Zero && !operation.Task.IsCompleted)
            {
                throw new TimeoutException();
            }

            return await operation.Task.WaitAsync(remaining > TimeSpan.Zero ? remaining : Timeout.InfiniteTimeSpan, TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && operation.TimedOut))
        {
            operation.Cancel();
            string? stoppedWhile = await StoppedWhileAsync(operation).ConfigureAwait(false);
            throw new TimeoutException(
                $"The {operation.Description} did not finish within the sync timeout of {SyncTimeout}; it was cancelled{(stoppedWhile is null ? "" : ": " + stoppedWhile)}.",
                ex);
        }
    }

    /// <summary>What a cancelled operation's storage was waiting for (see <see cref="Storage.StorageCanceledException"/>), if it says so within a moment.</summary>
    private static async Task<string?> StoppedWhileAsync(Operation operation)
    {
        await Task.WhenAny(operation.Task, Task.Delay(TimeSpan.FromSeconds(2), TimeProvider.System)).ConfigureAwait(false);
        if (!operation.Task.IsCompleted)
        {
            return null;
        }

        try
        {
            await operation.Task.ConfigureAwait(false);
            return null;
        }
        catch (Exception ex)
        {
            return Storage.StorageCanceledException.ActivityOf(ex);
        }
    }

    private bool IfNeeded(ref DateTimeOffset? lastTime, Func<bool> start)
    {
        var now = TimeProvider.GetUtcNow();
        lock (_gate)
        {
            if (lastTime is { } last && now - last < SyncPeriod)
            {
                return false;
            }

            lastTime = now;
        }

        return start();
    }

    private TimeSpan Age(Operation operation) => TimeProvider.GetUtcNow() - operation.StartedAt;

    private void Abandon(Operation? operation)
    {
        if (operation is null)
        {
            return;
        }

        operation.Cancel();

        // Observe the abandoned operation's error so it is logged, not lost as an unobserved exception.
        operation.Task.ContinueWith(
            (t, state) => LogAbandoned(((Syncer)state!).Logger, t.Exception!.GetBaseException().Message),
            this,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private IReadOnlyList<string> Checked(string source, string destination, IEnumerable<string>? exclude)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        ValidateLocations(source, destination);
        return exclude?.ToArray() ?? [];
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);

    private static string Shown(string location) => Validation.StorageUriGrammar.Redact(location);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not starting {Requested}: {Running} is still running")]
    private static partial void LogBusy(ILogger logger, string requested, string running);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sync attempt {Attempt} of {Retries} retries failed, retrying in {Seconds} s: {Reason}")]
    private static partial void LogRetrying(ILogger logger, int attempt, int retries, double seconds, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An earlier sync operation that was never waited for failed: {Reason}")]
    private static partial void LogAbandoned(ILogger logger, string reason);

    private sealed class Operation(
        string description,
        Func<CancellationToken, Task> work,
        DateTimeOffset startedAt,
        Task<SyncResult?> task,
        CancellationTokenSource timeout,
        CancellationTokenSource linked)
    {
        public string Description { get; } = description;

        public Func<CancellationToken, Task> Work { get; } = work;

        public DateTimeOffset StartedAt { get; } = startedAt;

        public Task<SyncResult?> Task { get; } = task;

        public bool IsRunning => !Task.IsCompleted;

        public bool TimedOut => timeout.IsCancellationRequested;

        public void Cancel()
        {
            try
            {
                linked.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // A later dispose raced us; the operation is cancelled either way.
            }
        }
    }

    private sealed class AutoPlaceholder : Syncer
    {
        private const string Message = "Syncer.Auto is a placeholder meaning 'pick storage by the URI scheme'; call SyncConfig.CreateSyncer() to get a syncer.";

        protected override Task SyncUpCoreAsync(string localDir, string remoteDir, IReadOnlyList<string> exclude, CancellationToken cancellationToken) =>
            throw new InvalidOperationException(Message);

        protected override Task SyncDownCoreAsync(string remoteDir, string localDir, IReadOnlyList<string> exclude, CancellationToken cancellationToken) =>
            throw new InvalidOperationException(Message);

        protected override Task DeleteCoreAsync(string remoteDir, CancellationToken cancellationToken) =>
            throw new InvalidOperationException(Message);

        protected override void ValidateLocations(string source, string? destination) => throw new InvalidOperationException(Message);
    }
}
