using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace SyncTooling.Storage.S3;

/// <summary>
/// The one listing every operation uses (sync, <c>ls</c>, <c>delete</c>), checked so that a server that lies makes it
/// fail instead of shorter or shifted: a sync writes and deletes against it.
/// </summary>
public sealed partial class S3Storage
{
    /// <summary>
    /// Every object below the prefix, page by page (ListObjectsV2 with <c>encoding-type=url</c>, keys decoded once),
    /// each page retried on its own. Throws a permanent <see cref="StorageException"/> when the server lies: a page
    /// marked truncated without a continuation token, a token it returned before, a key outside the prefix, a key
    /// listed twice, or <see cref="S3StorageOptions.MaxEmptyListPages"/> truncated pages in a row with no keys. Callers
    /// read the whole listing before they change anything, so a lie on any page changes nothing.
    /// </summary>
    private async IAsyncEnumerable<S3Object> ListObjectsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // State grows with the pages, never with empty pages beyond their tokens; with the keys only when the server
        // lists out of key order (AWS does not): in order, a key listed twice is the one listed just before.
        string? previousKey = null;
        HashSet<string>? seenKeys = null;
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        var pages = new ListingProgress();
        int emptyPagesInARow = 0;
        string? token = null;
        while (true)
        {
            var request = new ListObjectsV2Request
            {
                BucketName = _endpoint.Bucket,
                Prefix = _endpoint.KeyPrefix,
                ContinuationToken = token,
                Encoding = EncodingType.Url,
            };
            var response = await ListPageAsync(request, pages, cancellationToken).ConfigureAwait(false);

            // A server that ignores encoding-type sends keys as they are (and says so by leaving out EncodingType).
            bool encoded = string.Equals(response.Encoding?.Value, EncodingType.Url.Value, StringComparison.OrdinalIgnoreCase);
            var objects = response.S3Objects ?? [];
            foreach (var o in objects)
            {
                string key = encoded ? S3KeyEncoding.Decode(o.Key ?? string.Empty) : o.Key ?? string.Empty;
                if (!key.StartsWith(_endpoint.KeyPrefix, StringComparison.Ordinal))
                {
                    throw ListingLie($"a key outside the requested prefix '{_endpoint.KeyPrefix}' ('{StorageKey.Printable(key)}')");
                }

                if (IsRepeated(key, ref previousKey, ref seenKeys))
                {
                    throw ListingLie($"the key '{StorageKey.Printable(key)}' twice");
                }

                if (o.Size is < 0 or > MaxObjectSize)
                {
                    throw ListingLie($"the size {o.Size} for '{StorageKey.Printable(key)}' (an S3 object has 0 to 5 TiB)");
                }

                o.Key = key;
                yield return o;
            }

            if (response.IsTruncated != true)
            {
                yield break;
            }

            token = response.NextContinuationToken;
            if (string.IsNullOrEmpty(token))
            {
                throw ListingLie("a listing page marked truncated without a continuation token");
            }

            if (!seenTokens.Add(token))
            {
                throw ListingLie("a continuation token it had returned before (a listing that would never end)");
            }

            emptyPagesInARow = objects.Count == 0 ? emptyPagesInARow + 1 : 0;
            if (emptyPagesInARow >= _options.MaxEmptyListPages)
            {
                throw ListingLie($"{emptyPagesInARow} listing pages in a row with no keys, each marked truncated (the limit is MaxEmptyListPages)");
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="key"/> was listed before. While keys come in <see cref="KeyOrder"/> that is the key just
    /// before; from the first key out of order on, every key is remembered.
    /// </summary>
    private static bool IsRepeated(string key, ref string? previous, ref HashSet<string>? seen)
    {
        if (seen is null && previous is not null && KeyOrder.CompareKeys(previous, key) >= 0)
        {
            if (previous == key)
            {
                return true;
            }

            seen = new HashSet<string>(StringComparer.Ordinal) { previous };
        }

        previous = key;
        return seen is not null && !seen.Add(key);
    }

    /// <summary>One ListObjectsV2 page; stopped after earlier pages, it says how far the listing got (a server may paginate forever).</summary>
    private async Task<ListObjectsV2Response> ListPageAsync(ListObjectsV2Request request, ListingProgress progress, CancellationToken cancellationToken)
    {
        try
        {
            var response = await CallAsync(ct => _client.ListObjectsV2Async(request, ct), "listing", cancellationToken).ConfigureAwait(false);
            progress.Pages++;
            progress.Keys += response.S3Objects?.Count ?? 0;
            return response;
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested && progress.Pages > 0)
        {
            throw new StorageCanceledException(
                $"the listing of '{Location}' did not end within the timeout after {progress.Pages} pages ({progress.Keys} keys): the S3 server at {_endpoint.Host} kept answering that more pages follow",
                ex,
                cancellationToken);
        }
    }

    // S3's limit on one object: a listed size above it (or below 0) is a lie, not a file to plan a transfer for.
    private const long MaxObjectSize = 5L * 1024 * 1024 * 1024 * 1024;

    private StorageException ListingLie(string what) =>
        new(StorageErrorKind.Permanent, $"The S3 server at {_endpoint.Host} returned {what} for '{Location}'; nothing was changed.");

    /// <summary>A key as one safe line: control characters and escaped invalid UTF-8 bytes as \uXXXX.</summary>
    private static string Printable(string key) =>
        string.Concat(key.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    /// <summary>How far a listing got, for the message when it is stopped.</summary>
    private sealed class ListingProgress
    {
        public int Pages { get; set; }

        public long Keys { get; set; }
    }
}
