namespace SyncTooling.Storage;

/// <summary>
/// Bounds the bytes that whole-file upload buffers hold at once across the transfers of one storage: a small file is
/// buffered whole (so its request can be signed, given Content-MD5 and retried without a second read), and without a
/// bound that memory was jobs x the multipart threshold. Waiters are served in order, so a large file is not starved by
/// small ones; a file larger than the whole budget waits until it has all of it, so it is buffered alone.
/// </summary>
internal sealed class ByteBudget
{
    private readonly object _gate = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private long _available;

    /// <summary>The budget of whole-file upload buffers for one storage: 64 MiB, or one file at the threshold if that is larger.</summary>
    public static ByteBudget ForSmallUploads(long threshold) => new(Math.Max(64L * 1024 * 1024, threshold));

    public ByteBudget(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _available = capacity;
    }

    /// <summary>The most bytes held at once.</summary>
    public long Capacity { get; }

    /// <summary>The bytes not held now.</summary>
    public long Available
    {
        get
        {
            lock (_gate)
            {
                return _available;
            }
        }
    }

    /// <summary>Waits until <paramref name="bytes"/> (at most the capacity) are free and holds them until the lease is disposed.</summary>
    public async ValueTask<Lease> AcquireAsync(long bytes, CancellationToken cancellationToken = default)
    {
        bytes = Math.Clamp(bytes, 0, Capacity);
        Waiter waiter;
        LinkedListNode<Waiter> node;
        lock (_gate)
        {
            if (_waiters.Count == 0 && _available >= bytes)
            {
                _available -= bytes;
                return new Lease(this, bytes);
            }

            waiter = new Waiter(bytes);
            node = _waiters.AddLast(waiter);
        }

        using (cancellationToken.Register(() => Cancel(node, cancellationToken)))
        {
            await waiter.Granted.Task.ConfigureAwait(false);
        }

        return new Lease(this, bytes);
    }

    private void Cancel(LinkedListNode<Waiter> node, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (node.List is null)
            {
                return; // Granted already: the lease is returned and released by its owner.
            }

            _waiters.Remove(node);
            node.Value.Granted.TrySetCanceled(cancellationToken);
            GrantWaiting(); // The first waiter left: the next may fit now.
        }
    }

    private void Release(long bytes)
    {
        lock (_gate)
        {
            _available += bytes;
            GrantWaiting();
        }
    }

    private void GrantWaiting()
    {
        while (_waiters.First is { } first && _available >= first.Value.Bytes)
        {
            _available -= first.Value.Bytes;
            _waiters.RemoveFirst();
            first.Value.Granted.TrySetResult();
        }
    }

    private sealed class Waiter(long bytes)
    {
        public long Bytes { get; } = bytes;

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Bytes held; disposing gives them back (once).</summary>
    public sealed class Lease : IDisposable
    {
        private ByteBudget? _owner;
        private readonly long _bytes;

        internal Lease(ByteBudget owner, long bytes)
        {
            _owner = owner;
            _bytes = bytes;
        }

        public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Release(_bytes);
    }
}
