using System.Runtime.CompilerServices;
using System.Threading.Channels;
using SyncTooling.Storage;

namespace SyncTooling.Sync.Planning;

/// <summary>
/// Streams of listing entries in <see cref="KeyOrder"/>, and their merge-join into pairs: memory stays flat in the
/// number of keys, because each side is read ahead by a bounded buffer and compared one head against the other.
/// </summary>
internal static class ListingMerge
{
    /// <summary>How many entries a side is listed ahead of the merge.</summary>
    internal const int ReadAhead = 4096;

    /// <summary>Pairs the two sorted sides by key, in key order.</summary>
    public static async IAsyncEnumerable<StoragePair> MergeAsync(
        IAsyncEnumerable<StorageEntry> source,
        IAsyncEnumerable<StorageEntry> destination,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var s = source.WithCancellation(cancellationToken).ConfigureAwait(false).GetAsyncEnumerator();
        var d = destination.WithCancellation(cancellationToken).ConfigureAwait(false).GetAsyncEnumerator();
        try
        {
            // The source first: its failure ("source not found") is the more useful message.
            bool hasSource = await s.MoveNextAsync();
            bool hasDestination = await d.MoveNextAsync();
            while (hasSource || hasDestination)
            {
                int order = !hasSource ? 1 : !hasDestination ? -1 : KeyOrder.CompareKeys(s.Current.Key, d.Current.Key);
                yield return new StoragePair(order <= 0 ? s.Current : null, order >= 0 ? d.Current : null);
                if (order <= 0)
                {
                    hasSource = await s.MoveNextAsync();
                }

                if (order >= 0)
                {
                    hasDestination = await d.MoveNextAsync();
                }
            }
        }
        finally
        {
            await d.DisposeAsync();
            await s.DisposeAsync();
        }
    }

    /// <summary>
    /// The entries of <paramref name="listing"/> in key order. Checked: an entry out of order throws
    /// <see cref="ListingOutOfOrderException"/>. Sorted: the whole listing is read into an <see cref="ExternalSort"/>
    /// first. Either way a key listed twice is a listing that lies: a permanent <see cref="StorageException"/>, so nothing is deleted.
    /// </summary>
    public static async IAsyncEnumerable<StorageEntry> InKeyOrderAsync(
        IAsyncEnumerable<StorageEntry> listing,
        bool sort,
        ExternalSort sorter,
        bool isSource,
        StorageUri location,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StorageEntry? held = null;
        if (sort)
        {
            await foreach (var entry in listing.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                sorter.Add(entry);
            }

            foreach (var entry in sorter.ReadSorted())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (held is not null)
                {
                    ThrowIfRepeated(held, entry, location);
                    yield return held;
                }

                held = entry;
            }
        }
        else
        {
            await foreach (var entry in listing.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (held is not null)
                {
                    ThrowIfRepeated(held, entry, location);
                    if (KeyOrder.CompareKeys(held.Key, entry.Key) > 0)
                    {
                        throw new ListingOutOfOrderException(isSource, location, entry.Key, held.Key);
                    }

                    yield return held;
                }

                held = entry;
            }
        }

        if (held is not null)
        {
            yield return held;
        }
    }

    private static void ThrowIfRepeated(StorageEntry previous, StorageEntry entry, StorageUri location)
    {
        if (previous.Key == entry.Key)
        {
            throw new StorageException(
                StorageErrorKind.Permanent,
                $"'{location}' listed the key '{StorageKey.Printable(entry.Key)}' twice; a listing that repeats a key is not trusted, so nothing was deleted.");
        }
    }

    /// <summary>
    /// Lists <paramref name="listing"/> on a task of its own, at most <see cref="ReadAhead"/> entries ahead of the
    /// reader, so both sides of a merge are listed at once. A listing failure reaches the reader in its place.
    /// </summary>
    public static async IAsyncEnumerable<StorageEntry> ReadAheadAsync(IAsyncEnumerable<StorageEntry> listing, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var buffer = Channel.CreateBounded<StorageEntry>(new BoundedChannelOptions(ReadAhead) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = Task.Run(
            async () =>
            {
                var entries = listing.WithCancellation(stop.Token).ConfigureAwait(false).GetAsyncEnumerator();
                try
                {
                    while (await entries.MoveNextAsync())
                    {
                        try
                        {
                            await buffer.Writer.WriteAsync(entries.Current, stop.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                        {
                            // Cancelled (a timeout) while the reader had no room: ask the listing for more under the
                            // cancelled token, so it ends with its own StorageCanceledException, which says what it was
                            // waiting for, rather than this bare cancellation (the rest of its current page at most).
                            while (await entries.MoveNextAsync())
                            {
                            }

                            throw;
                        }
                    }

                    buffer.Writer.TryComplete();
                }
                catch (Exception ex)
                {
                    buffer.Writer.TryComplete(ex);
                }
                finally
                {
                    await entries.DisposeAsync();
                }
            },
            CancellationToken.None);
        try
        {
            // Read without the token: a cancelled listing ends the buffer with its own exception, which says what it
            // was waiting for (StorageCanceledException), instead of a bare cancellation here.
            await foreach (var entry in buffer.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                yield return entry;
            }
        }
        finally
        {
            // A reader that stops early (a failure on the other side, a cancel) stops the listing too.
            await stop.CancelAsync().ConfigureAwait(false);
            await pump.ConfigureAwait(false);
        }
    }
}
