using System.Globalization;
using Microsoft.Build.Framework;
using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Validation;
using MSBuildTask = Microsoft.Build.Utilities.Task;

namespace SyncTooling.Build;

/// <summary>
/// What every sync task shares: validation with the shared rule set before any I/O, cancellation, and the
/// mapping of the core library's expected exceptions to coded errors. The work itself is the core's.
/// </summary>
public abstract class SyncTaskBase : MSBuildTask, ICancelableTask
{
    private readonly object _gate = new();
    private CancellationTokenSource? _running;
    private bool _cancelRequested;

    /// <summary>Creates the task with its message resources.</summary>
    protected SyncTaskBase()
        : base(Strings.ResourceManager)
    {
    }

    /// <summary>The remote side: <c>s3://bucket/prefix</c>, <c>gs://...</c>, <c>memory://...</c> or an absolute local path.</summary>
    [Required]
    public string RemoteDir { get; set; } = string.Empty;

    /// <summary>List what would change and change nothing.</summary>
    public bool DryRun { get; set; }

    /// <summary>
    /// Retries after a transient failure, 0 to 100 (0: every request is sent once). The whole bound: each request
    /// (a listing page, a PUT, a part, a delete batch) is sent at most <c>Retries + 1</c> times.
    /// </summary>
    public int Retries { get; set; } = SyncOptions.DefaultRetries;

    /// <summary>Longest the task may run, in seconds (default 1800, as SyncConfig.SyncTimeout), whatever the server does.</summary>
    public int SyncTimeout { get; set; } = 1800;

    /// <summary>Backends by scheme; tests swap in wrapped backends.</summary>
    internal StorageRegistry Registry { get; set; } = StorageRegistry.Default;

    /// <summary>The clock for timings and the timeout; tests freeze it so the log is exact.</summary>
    internal TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Stops the running sync (MSBuild calls this when the build is cancelled).</summary>
    public void Cancel()
    {
        lock (_gate)
        {
            _cancelRequested = true;
            _running?.Cancel();
        }
    }

    /// <inheritdoc />
    public override bool Execute()
    {
        if (!Validate())
        {
            return false;
        }

        using var cancel = new CancellationTokenSource();
        lock (_gate)
        {
            _running = cancel;
            if (_cancelRequested)
            {
                cancel.Cancel();
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(SyncTimeout), TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token, timeout.Token);
        try
        {
            // MSBuild has no synchronization context, so blocking on the core's async API cannot deadlock.
            RunAsync(linked.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Log.LogErrorWithCodeFromResources("Cancelled", GetType().Name);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested)
        {
            string? stoppedWhile = StorageCanceledException.ActivityOf(ex);
            Log.LogErrorWithCodeFromResources("TimedOut", GetType().Name, SyncTimeout.ToString(CultureInfo.InvariantCulture), stoppedWhile is null ? string.Empty : ": " + stoppedWhile);
        }
        catch (SourceNotFoundException ex)
        {
            Log.LogErrorWithCodeFromResources("SourceNotFound", HideSecrets(ex.Message));
        }
        catch (SyncRefusedException ex)
        {
            Log.LogErrorWithCodeFromResources("SyncRefused", ex.MessageWith(ex.Guard == SyncGuard.EmptySource ? "AllowEmptySource=\"true\"" : "Force=\"true\""));
        }
        catch (SyncException ex)
        {
            Log.LogErrorWithCodeFromResources("SyncRefused", HideSecrets(ex.Message));
        }
        catch (StorageException ex)
        {
            Log.LogErrorWithCodeFromResources("StorageFailed", HideSecrets(ex.Message));
        }
        finally
        {
            lock (_gate)
            {
                _running = null;
            }
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>Checks the parameters and logs every problem; true when the task may run.</summary>
    protected virtual bool Validate()
    {
        LogFindings(SyncRules.CheckLocation(RemoteDir, nameof(RemoteDir), requireAbsolute: true));
        if (!Log.HasLoggedErrors && StorageUri.TryParse(RemoteDir, out var remote, out _) && !Registry.Schemes.Contains(remote!.Scheme))
        {
            Log.LogErrorWithCodeFromResources("NoBackend", nameof(RemoteDir), remote, remote.Scheme);
        }

        RefuseMemory(nameof(RemoteDir), RemoteDir);

        CheckRange(nameof(Retries), Retries, 0, 100);
        LogFindings(SyncRules.Check(new SyncConfigFacts { SyncTimeout = TimeSpan.FromSeconds(SyncTimeout) }));
        if (SyncTimeout > 0)
        {
            CheckRange(nameof(SyncTimeout), SyncTimeout, 1, (int)Syncer.MaxSyncTimeout.TotalSeconds);
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>
    /// Tests share memory:// stores with the task in one process; in a real build such a store is gone with the build
    /// node, so the location is refused (SYNCB015).
    /// </summary>
    internal bool AllowMemoryStores { get; set; }

    /// <summary>Logs <c>SYNCB015</c> for a memory:// location, unless <see cref="AllowMemoryStores"/>.</summary>
    protected void RefuseMemory(string name, string location)
    {
        if (!AllowMemoryStores && StorageUri.TryParse(location, out var uri, out _) && uri!.Scheme == "memory")
        {
            Log.LogErrorWithCodeFromResources("MemoryRefused", name, uri);
        }
    }

    /// <summary>Logs <c>SYNCB008</c> when <paramref name="value"/> is outside <paramref name="min"/> to <paramref name="max"/>.</summary>
    protected void CheckRange(string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            Log.LogErrorWithCodeFromResources("OutOfRange", name, value, min, max);
        }
    }

    /// <summary>Does the work; expected failures surface as the core library's exceptions.</summary>
    protected abstract Task RunAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Masks the secrets written into <see cref="RemoteDir"/> in a message that did not come from the rules (an
    /// exception's or a failed file's), so they never reach the build log, whichever layer quoted them.
    /// </summary>
    protected string HideSecrets(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (string secret in StorageUriGrammar.SecretValues(RemoteDir).Where(s => s.Length >= 4).OrderByDescending(s => s.Length))
        {
            message = message.Replace(secret, "***", StringComparison.Ordinal);
        }

        return message;
    }

    /// <summary>Creates the engine the task hands its work to.</summary>
    protected internal SyncEngine CreateEngine() => new(Registry, timeProvider: TimeProvider);

    /// <summary>Logs rule findings under their rule ids (SYNC001...), the ids the analyzers and <c>SyncConfig.Validate()</c> use.</summary>
    protected void LogFindings(IEnumerable<SyncFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        foreach (var finding in findings)
        {
            // The rule set owns these messages so that all three users word them the same; "{0}" keeps braces in them literal.
            if (finding.Severity == SyncFindingSeverity.Error)
            {
                Log.LogError(null, finding.RuleId, null, null, 0, 0, 0, 0, "{0}", finding.Message);
            }
            else
            {
                Log.LogWarning(null, finding.RuleId, null, null, 0, 0, 0, 0, "{0}", finding.Message);
            }
        }
    }
}
