using System.Globalization;

namespace SyncTooling.Storage;

/// <summary>What one store allows of a multipart upload (S3) or a staged block blob (Azure).</summary>
/// <param name="MinPartSize">The smallest part but the last.</param>
/// <param name="MaxPartSize">The largest part.</param>
/// <param name="MaxParts">The most parts of one object.</param>
/// <param name="MaxObjectSize">The largest object.</param>
/// <param name="Object">What the object is called in messages ("an S3 object").</param>
internal sealed record PartLimits(long MinPartSize, long MaxPartSize, int MaxParts, long MaxObjectSize, string Object)
{
    private const long MiB = 1024 * 1024;

    /// <summary>S3: 5 MiB to 5 GiB a part, 10,000 parts, 5 TiB an object.</summary>
    public static readonly PartLimits S3 = new(5 * MiB, 5 * 1024 * MiB, 10_000, 5L * 1024 * 1024 * MiB, "an S3 object");

    /// <summary>Azure block blobs: up to 4000 MiB a block, 50,000 blocks (so 50,000 x 4000 MiB a blob).</summary>
    public static readonly PartLimits AzureBlockBlob = new(1, 4000 * MiB, 50_000, 50_000 * 4000 * MiB, "an Azure block blob");
}

/// <summary>
/// The part size of one large upload: the configured size while the parts fit the store's part count, else the
/// smallest whole number of MiB that fits them, so no file up to the store's object limit fails for having too
/// many parts. A pure function of the file size and the configured size: a rerun that resumes an upload gets the
/// same parts (an 8 MiB configuration keeps 8 MiB parts up to 78.1 GiB, then grows to 525 MiB parts at 5 TiB).
/// </summary>
internal static class PartPlanner
{
    private const long MiB = 1024 * 1024;

    /// <summary>The part size for a file of <paramref name="fileSize"/> bytes.</summary>
    /// <param name="fileSize">The whole file, 0 to <see cref="PartLimits.MaxObjectSize"/>.</param>
    /// <param name="configuredPartSize">The part size asked for, within the limits' part sizes.</param>
    /// <param name="limits">The store's limits.</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative size or a configured size outside the limits.</exception>
    /// <exception cref="StorageException">Permanent: the file is larger than the store allows one object to be.</exception>
    public static long PartSize(long fileSize, long configuredPartSize, PartLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfNegative(fileSize);
        if (configuredPartSize < limits.MinPartSize || configuredPartSize > limits.MaxPartSize)
        {
            throw new ArgumentOutOfRangeException(nameof(configuredPartSize), configuredPartSize, $"The part size is {configuredPartSize} bytes; it must be between {limits.MinPartSize} and {limits.MaxPartSize}.");
        }

        if (fileSize > limits.MaxObjectSize)
        {
            throw new StorageException(
                StorageErrorKind.Permanent,
                $"The file is {fileSize.ToString(CultureInfo.InvariantCulture)} bytes; {limits.Object} can hold at most {limits.MaxObjectSize.ToString(CultureInfo.InvariantCulture)} bytes ({limits.MaxParts} parts of at most {limits.MaxPartSize / MiB} MiB).");
        }

        long needed = (fileSize + limits.MaxParts - 1) / limits.MaxParts;
        if (needed <= configuredPartSize)
        {
            return configuredPartSize;
        }

        // Whole MiB: the parts stay aligned with the file system's and the server's buffers.
        return Math.Min((needed + MiB - 1) / MiB * MiB, limits.MaxPartSize);
    }
}
