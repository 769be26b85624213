namespace SyncTooling.Diagnostics;

/// <summary>
/// The names under which syncs report to <c>System.Diagnostics</c>: give <see cref="MeterName"/> to a metrics pipeline
/// (OpenTelemetry's <c>AddMeter</c>, a <c>MeterListener</c>, <c>dotnet-counters</c>) and <see cref="ActivitySourceName"/> to
/// a tracing one (<c>AddSource</c>, an <c>ActivityListener</c>). Tags carry no location, key, path or secret.
/// </summary>
public static class SyncDiagnostics
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> every sync records on.</summary>
    public const string MeterName = "SyncTooling";

    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> that starts one span per sync.</summary>
    public const string ActivitySourceName = "SyncTooling";

    /// <summary>The span of one sync (<see cref="Sync.SyncEngine.SyncAsync"/>).</summary>
    public const string SyncActivityName = "sync";

    /// <summary>Counter of files transferred (unit <c>{file}</c>).</summary>
    public const string FilesTransferred = "synctooling.sync.files.transferred";

    /// <summary>Counter of bytes transferred (unit <c>By</c>).</summary>
    public const string BytesTransferred = "synctooling.sync.bytes.transferred";

    /// <summary>Counter of files that failed after their retries (unit <c>{file}</c>).</summary>
    public const string FilesFailed = "synctooling.sync.files.failed";

    /// <summary>Counter of destination files deleted (unit <c>{file}</c>).</summary>
    public const string FilesDeleted = "synctooling.sync.files.deleted";

    /// <summary>Histogram of the time one sync took, whatever its outcome (unit <c>s</c>).</summary>
    public const string Duration = "synctooling.sync.duration";

    /// <summary>
    /// Tag: <c>upload</c> (local to remote), <c>download</c> (remote to local), <c>local</c> (both local) or
    /// <c>remote</c> (both remote).
    /// </summary>
    public const string DirectionTag = "synctooling.direction";

    /// <summary>Tag: the scheme of the remote side (<c>s3</c>, <c>az</c>, <c>gs</c>, <c>hdfs</c>, <c>memory</c>...), of the destination when both are remote, <c>file</c> when both are local.</summary>
    public const string SchemeTag = "synctooling.scheme";

    /// <summary>
    /// Tag: <c>success</c>, <c>failed</c> (the sync ran but some files failed), <c>error</c> (the sync stopped with an
    /// exception: refused, listing failed...), <c>canceled</c> (cancelled or timed out) or <c>dry_run</c>.
    /// </summary>
    public const string OutcomeTag = "synctooling.outcome";

    /// <summary>Tag on a sync that stopped with an exception: the exception's type (OpenTelemetry's <c>error.type</c>); never its message.</summary>
    public const string ErrorTypeTag = "error.type";
}
