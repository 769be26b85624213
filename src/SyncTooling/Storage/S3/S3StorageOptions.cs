using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SyncTooling.Storage.S3;

/// <summary>Settings of <see cref="S3Storage"/> that do not belong in a storage URI.</summary>
public sealed record S3StorageOptions
{
    /// <summary>The part size of multipart uploads: 8 MiB.</summary>
    public const int DefaultPartSize = 8 * 1024 * 1024;

    /// <summary>Credentials to use instead of the standard AWS chain (environment, profiles, container and instance roles).</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>Reads environment variables; replaceable so tests need not change the process environment.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Files larger than this are uploaded in parts, and objects this large (above 8 MiB) downloaded into a local folder in ranged GETs. At least <see cref="PartSize"/>.</summary>
    public long MultipartThreshold { get; init; } = DefaultPartSize;

    /// <summary>The size of each part, 5 MiB (the S3 minimum) to 512 MiB.</summary>
    public int PartSize { get; init; } = DefaultPartSize;

    /// <summary>
    /// Parts buffered or uploading at once, across every file of this storage: memory for multipart uploads is
    /// bounded by <see cref="PartSize"/> x <see cref="PartsInFlight"/>.
    /// </summary>
    public int PartsInFlight { get; init; } = 4;

    /// <summary>
    /// The longest one HTTP request may wait for its connection and the headers of its answer before it counts as a
    /// transient failure (the SDK's Timeout, and the connect timeout). An answer whose body trickles in is not ended
    /// by it: the caller's timeout (<c>--timeout</c>, <c>SyncTimeout</c>, a cancellation token) bounds the whole.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Retries of one request after a transient failure, 0 to 100: a request is sent at most <c>Retries + 1</c> times
    /// (the SDK's own retries are off, and the engine does not retry again what this retried). Opened by the engine
    /// through <see cref="StorageRegistry.Default"/>, this is the sync's <see cref="Sync.SyncOptions.Retries"/>.
    /// </summary>
    public int Retries { get; init; } = 4;

    /// <summary>
    /// A listing fails when the server returns this many pages in a row with no keys, each marked truncated with a new
    /// continuation token (1 to 1,000,000; default 1,000): such a listing may never end. Honest servers send empty
    /// pages rarely (AWS while it skips long runs of delete markers).
    /// </summary>
    public int MaxEmptyListPages { get; init; } = 1000;

    /// <summary>Receives, at Debug, uploads whose ETag proves no MD5 (an unknown form), which are accepted unverified.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>
    /// Where interrupted multipart uploads are recorded so a rerun continues them (see <c>docs/resume.md</c>). Null:
    /// <c>SYNCTOOLING_STATE_DIR</c>, else <c>$XDG_STATE_HOME/synctooling</c>, else <c>~/.local/state/synctooling</c>;
    /// with none of them, uploads start from zero. Never inside a synced folder.
    /// </summary>
    public string? StateDirectory { get; init; }

    /// <summary>The clock for retry delays.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        if (PartSize is < 5 * 1024 * 1024 or > 512 * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(PartSize), PartSize, $"PartSize is {PartSize}; it must be between 5 MiB and 512 MiB.");
        }

        if (MultipartThreshold < PartSize)
        {
            throw new ArgumentOutOfRangeException(nameof(MultipartThreshold), MultipartThreshold, $"MultipartThreshold is {MultipartThreshold}; it must be at least PartSize ({PartSize}).");
        }

        if (MaxEmptyListPages is < 1 or > 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxEmptyListPages), MaxEmptyListPages, $"MaxEmptyListPages is {MaxEmptyListPages}; it must be between 1 and 1000000.");
        }

        if (Retries is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(Retries), Retries, $"Retries is {Retries}; it must be between 0 and 100.");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RequestTimeout), RequestTimeout, $"RequestTimeout is {RequestTimeout}; it must be greater than zero.");
        }

        if (PartsInFlight is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(PartsInFlight), PartsInFlight, $"PartsInFlight is {PartsInFlight}; it must be between 1 and 64.");
        }
    }
}
