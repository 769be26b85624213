using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using SyncTooling.Storage;
using SyncTooling.Sync;

namespace SyncTooling.Diagnostics;

/// <summary>
/// Records one sync on the <see cref="SyncDiagnostics.MeterName"/> meter and as one span of the
/// <see cref="SyncDiagnostics.ActivitySourceName"/> source. Tags hold only names from a small fixed set and
/// counts: the locations, keys and messages of a sync stay out (they can hold paths and credentials).
/// </summary>
internal sealed class SyncTelemetry
{
    private static readonly string? Version = typeof(SyncTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
    private static readonly ActivitySource Source = new(SyncDiagnostics.ActivitySourceName, Version);
    private static readonly Meter Meter = new(SyncDiagnostics.MeterName, Version);
    private static readonly Counter<long> Transferred = Meter.CreateCounter<long>(SyncDiagnostics.FilesTransferred, "{file}", "Files transferred by syncs.");
    private static readonly Counter<long> Bytes = Meter.CreateCounter<long>(SyncDiagnostics.BytesTransferred, "By", "Bytes transferred by syncs.");
    private static readonly Counter<long> Failed = Meter.CreateCounter<long>(SyncDiagnostics.FilesFailed, "{file}", "Files that failed to sync after their retries.");
    private static readonly Counter<long> Deleted = Meter.CreateCounter<long>(SyncDiagnostics.FilesDeleted, "{file}", "Destination files deleted by syncs.");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram(
        SyncDiagnostics.Duration,
        "s",
        "How long one sync took.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 1800] });

    private readonly string _direction;
    private readonly string _scheme;
    private readonly TimeProvider _timeProvider;
    private readonly long _started;
    private readonly Activity? _activity;

    private SyncTelemetry(StorageUri source, StorageUri destination, TimeProvider timeProvider)
    {
        _direction = (source.IsLocal, destination.IsLocal) switch
        {
            (true, false) => "upload",
            (false, true) => "download",
            (true, true) => "local",
            _ => "remote",
        };
        _scheme = destination.IsLocal ? source.Scheme : destination.Scheme;
        _timeProvider = timeProvider;
        _started = timeProvider.GetTimestamp();
        _activity = Source.StartActivity(SyncDiagnostics.SyncActivityName, ActivityKind.Internal);
        _activity?.SetTag(SyncDiagnostics.DirectionTag, _direction);
        _activity?.SetTag(SyncDiagnostics.SchemeTag, _scheme);
    }

    /// <summary>Starts recording a sync: call at its start, then <see cref="Completed"/> or <see cref="Stopped"/> once.</summary>
    public static SyncTelemetry Start(StorageUri source, StorageUri destination, TimeProvider timeProvider) => new(source, destination, timeProvider);

    /// <summary>The sync ran to its end (some files may have failed).</summary>
    public SyncResult Completed(SyncResult result)
    {
        string outcome = result.DryRun ? "dry_run" : result.Succeeded ? "success" : "failed";
        var tags = Tags(outcome);
        if (!result.DryRun)
        {
            Transferred.Add(result.Transferred.Count, tags);
            Bytes.Add(result.BytesTransferred, tags);
            Failed.Add(result.Failures.Count, tags);
            Deleted.Add(result.Deleted.Count, tags);
        }

        if (_activity is { } activity)
        {
            activity.SetTag(SyncDiagnostics.OutcomeTag, outcome);
            activity.SetTag("synctooling.dry_run", result.DryRun);
            activity.SetTag("synctooling.files.new", result.Plan.New.Count);
            activity.SetTag("synctooling.files.changed", result.Plan.Changed.Count);
            activity.SetTag("synctooling.files.unchanged", result.Plan.Unchanged.Count);
            activity.SetTag("synctooling.files.transferred", result.Transferred.Count);
            activity.SetTag("synctooling.bytes.transferred", result.BytesTransferred);
            activity.SetTag("synctooling.files.failed", result.Failures.Count);
            activity.SetTag("synctooling.files.deleted", result.Deleted.Count);
            activity.SetStatus(result.Succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error, result.Succeeded ? null : $"{result.Failures.Count} files failed");
        }

        End(tags);
        return result;
    }

    /// <summary>The sync stopped with <paramref name="error"/>.</summary>
    public void Stopped(Exception error)
    {
        string outcome = error is OperationCanceledException ? "canceled" : "error";
        var tags = Tags(outcome);
        tags.Add(SyncDiagnostics.ErrorTypeTag, error.GetType().FullName);
        if (_activity is { } activity)
        {
            activity.SetTag(SyncDiagnostics.OutcomeTag, outcome);
            activity.SetTag(SyncDiagnostics.ErrorTypeTag, error.GetType().FullName);

            // The type only: an exception's message can name keys, paths and endpoints.
            activity.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
        }

        End(tags);
    }

    private TagList Tags(string outcome) => new()
    {
        { SyncDiagnostics.DirectionTag, _direction },
        { SyncDiagnostics.SchemeTag, _scheme },
        { SyncDiagnostics.OutcomeTag, outcome },
    };

    private void End(TagList tags)
    {
        Duration.Record(_timeProvider.GetElapsedTime(_started).TotalSeconds, tags);
        _activity?.Dispose();
    }
}
