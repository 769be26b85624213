using Azure.Core;

namespace SyncTooling.Storage.Azure;

/// <summary>Settings of <see cref="AzureBlobStorage"/> that do not belong in a storage URI.</summary>
public sealed record AzureBlobStorageOptions
{
    /// <summary>The block size of staged uploads: 8 MiB.</summary>
    public const int DefaultBlockSize = 8 * 1024 * 1024;

    /// <summary>
    /// The token credential used when neither the environment nor the location holds a connection string, key or SAS
    /// token; null means <c>DefaultAzureCredential</c> (environment, workload identity, managed identity, Azure CLI, ...).
    /// </summary>
    public TokenCredential? TokenCredential { get; init; }

    /// <summary>Reads environment variables; replaceable so tests need not change the process environment.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Files larger than this are uploaded as staged blocks, and blobs this large (above 8 MiB) downloaded into a local folder in ranged GETs. At least <see cref="BlockSize"/>.</summary>
    public long BlockUploadThreshold { get; init; } = DefaultBlockSize;

    /// <summary>The size of each staged block, 1 MiB to 512 MiB.</summary>
    public int BlockSize { get; init; } = DefaultBlockSize;

    /// <summary>
    /// Blocks buffered or uploading at once, across every file of this storage: memory for large uploads is bounded
    /// by <see cref="BlockSize"/> x <see cref="BlocksInFlight"/>.
    /// </summary>
    public int BlocksInFlight { get; init; } = 4;

    /// <summary>The longest one HTTP request may wait on the network before it counts as a transient failure.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Retries of one request after a transient failure (the Azure SDK's own retries are off: retry lives in one place).</summary>
    public int Retries { get; init; } = 4;

    /// <summary>
    /// Where interrupted block uploads are recorded so a rerun continues them (see <c>docs/resume.md</c>). Null:
    /// <c>SYNCTOOLING_STATE_DIR</c>, else <c>$XDG_STATE_HOME/synctooling</c>, else <c>~/.local/state/synctooling</c>.
    /// </summary>
    public string? StateDirectory { get; init; }

    /// <summary>Receives the messages about resumed uploads (<see cref="ResumeEvents"/>).</summary>
    public Microsoft.Extensions.Logging.ILogger Logger { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>The clock for retry delays.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        if (BlockSize is < 1024 * 1024 or > 512 * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(BlockSize), BlockSize, $"BlockSize is {BlockSize}; it must be between 1 MiB and 512 MiB.");
        }

        if (BlockUploadThreshold < BlockSize)
        {
            throw new ArgumentOutOfRangeException(nameof(BlockUploadThreshold), BlockUploadThreshold, $"BlockUploadThreshold is {BlockUploadThreshold}; it must be at least BlockSize ({BlockSize}).");
        }

        if (BlocksInFlight is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(BlocksInFlight), BlocksInFlight, $"BlocksInFlight is {BlocksInFlight}; it must be between 1 and 64.");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RequestTimeout), RequestTimeout, $"RequestTimeout is {RequestTimeout}; it must be greater than zero.");
        }

        if (Retries is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(Retries), Retries, $"Retries is {Retries}; it must be between 0 and 100.");
        }
    }
}
