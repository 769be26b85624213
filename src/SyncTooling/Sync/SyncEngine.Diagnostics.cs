using SyncTooling.Diagnostics;
using SyncTooling.Storage;

namespace SyncTooling.Sync;

public sealed partial class SyncEngine
{
    /// <inheritdoc cref="SyncCoreAsync"/>
    /// <remarks>Each sync is recorded on the <see cref="SyncDiagnostics.MeterName"/> meter and as one span of the <see cref="SyncDiagnostics.ActivitySourceName"/> source.</remarks>
    public async Task<SyncResult> SyncAsync(
        StorageUri source,
        StorageUri destination,
        SyncOptions? options = null,
        IProgress<SyncProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var telemetry = SyncTelemetry.Start(source, destination, _timeProvider);
        try
        {
            return telemetry.Completed(await SyncCoreAsync(source, destination, options, progress, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            telemetry.Stopped(ex);
            throw;
        }
    }
}
