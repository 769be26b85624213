using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Runtime.ExceptionServices;
using McMaster.Extensions.CommandLineUtils;
using SyncTooling.Cli.Output;
using SyncTooling.Cli.Watch;
using SyncTooling.Runs;
using SyncTooling.Storage;
using SyncTooling.Sync;

namespace SyncTooling.Cli.Commands;

/// <summary>
/// `sync watch LOCAL REMOTE`: Ray Tune's run sync policy (<see cref="RunSyncPolicy"/>) on a directory another
/// process writes: the run state every period, each checkpoint folder once it is complete, a final sync on exit.
/// </summary>
[Command("watch", Description = "Sync a run directory up with Ray Tune's policy: state every --period, checkpoints when complete, a final sync on Ctrl+C.", ExtendedHelpText = Help.Watch)]
internal sealed class WatchCommand(CliContext context) : TransferCommandBase(context)
{
    private int _checkpointUploads;

    [Argument(0, "LOCAL", Description = "The local directory to read.")]
    [Required(ErrorMessage = "missing LOCAL and REMOTE: sync watch LOCAL REMOTE.")]
    public string? Local { get; set; }

    [Argument(1, "REMOTE", Description = "The storage location to write.")]
    [Required(ErrorMessage = "missing REMOTE: sync watch LOCAL REMOTE.")]
    public string? Remote { get; set; }

    [Option("--period <SECONDS>", Description = "Seconds from the start of one state sync to the start of the next (default 300, SyncConfig's SyncPeriod).")]
    public string? Period { get; set; }

    [Option("--sync-on-checkpoint", Description = "Upload each checkpoint_* folder on its own once complete (the default; SyncConfig's SyncOnCheckpoint).")]
    public bool SyncOnCheckpoint { get; set; }

    [Option("--no-sync-on-checkpoint", Description = "Let checkpoints ride along with the periodic sync (cloud storage still uploads them on their own, as in Ray).")]
    public bool NoSyncOnCheckpoint { get; set; }

    [Option("--checkpoint-settle <SECONDS>", Description = "A checkpoint without a .complete file is complete once unchanged this long (default 10).")]
    public string? CheckpointSettle { get; set; }

    [Option("--sync-artifacts", Description = "Sync the artifacts folder too (SyncConfig's SyncArtifacts; off by default, as in Ray).")]
    public bool SyncArtifacts { get; set; }

    [Option("--no-sync-artifacts-on-checkpoint", Description = "With --sync-artifacts: do not sync artifacts after each checkpoint (SyncConfig's SyncArtifactsOnCheckpoint).")]
    public bool NoSyncArtifactsOnCheckpoint { get; set; }

    [Option("--artifacts-dir <NAME>", Description = "The run directory's artifacts folder (default artifacts).")]
    public string ArtifactsDir { get; set; } = "artifacts";

    protected override async Task<int> ExecuteAsync()
    {
        var period = ParseSeconds(Period, "--period", Syncer.DefaultSyncPeriod);
        var settle = ParseSeconds(CheckpointSettle, "--checkpoint-settle", TimeSpan.FromSeconds(10));
        if (SyncOnCheckpoint && NoSyncOnCheckpoint)
        {
            throw new UsageException("--sync-on-checkpoint and --no-sync-on-checkpoint contradict each other; give one.");
        }

        var options = BuildOptions();
        var local = ParseLocation(Local, "LOCAL");
        if (!local.IsLocal)
        {
            throw new UsageException($"LOCAL '{local}' is not a local directory; watch syncs a local directory up.");
        }

        if (!Directory.Exists(local.Path) && Path.Exists(local.Path))
        {
            // Like a missing LOCAL (exit code 3 at once): a file never turns into the run directory, so waiting would only hide the mistake.
            throw new SourceNotFoundException($"LOCAL '{local.Path}' is a file, not a directory. Nothing was transferred or deleted.");
        }

        var remote = ParseLocation(Remote, "REMOTE");
        var policy = CreatePolicy(remote);
        var tracker = new CheckpointTracker(local.Path, Context.TimeProvider, settle);
        int failedRuns = 0;
        var loop = new WatchLoop(
            Context.TimeProvider,
            period,
            (run, ct) => SyncStateAsync(local, remote, run.IsFinal ? policy.FinalExcludes : policy.PeriodicExcludes, options, run.IsFinal ? "final sync up" : "sync up", ct),
            policy.UploadsCheckpointsWhenWritten ? settle : null,
            policy.UploadsCheckpointsWhenWritten ? ct => UploadCheckpointsAsync(local, policy, tracker, options, settle, ct) : null);

        try
        {
            await loop.RunAsync(
                (run, ex) =>
                {
                    failedRuns++;
                    if (run.IsFirst && ex is SourceNotFoundException)
                    {
                        // A missing directory at start is a typo, not a hiccup: waiting for it would hide the mistake.
                        ExceptionDispatchInfo.Capture(ex).Throw();
                    }

                    if (ex is SyncRefusedException { Guard: SyncGuard.Overlap })
                    {
                        // The locations never stop overlapping: retrying would only repeat the refusal forever.
                        ExceptionDispatchInfo.Capture(ex).Throw();
                    }

                    ReportFailure($"sync {run.Number} failed: {ex.Message} Retrying in {Seconds(period)} s.", "syncFailed", run.Number, ex);
                    return Task.CompletedTask;
                },
                Context.Interrupted,
                Context.ForceQuit).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (Context.ForceQuit.IsCancellationRequested)
        {
            return Fail(ExitCodes.Interrupted, "interrupted again during the final sync; files already written are complete and none was left half-written (the next run resumes a large transfer that was cut off).", null);
        }

        if (Mode is OutputMode.Plain or OutputMode.Terminal)
        {
            string checkpoints = _checkpointUploads > 0 ? $" and {_checkpointUploads} checkpoint uploads" : string.Empty;
            Console.Out.WriteLine($"Stopped after {loop.Runs} syncs{checkpoints} ({failedRuns} failed before the final one); the final sync succeeded.");
        }
        else if (Json)
        {
            JsonLines.Write(Console, w =>
            {
                w.WriteString("event", "stopped");
                w.WriteNumber("syncs", loop.Runs);
                w.WriteNumber("checkpointUploads", _checkpointUploads);
                w.WriteNumber("failedSyncs", failedRuns);
            });
        }

        return ExitCodes.Success;
    }

    private RunSyncPolicy CreatePolicy(StorageUri remote)
    {
        var config = new SyncConfig
        {
            SyncOnCheckpoint = !NoSyncOnCheckpoint,
            SyncArtifacts = SyncArtifacts,
            SyncArtifactsOnCheckpoint = !NoSyncArtifactsOnCheckpoint,
        };
        try
        {
            return new RunSyncPolicy(config, remote, ArtifactsDir);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"--artifacts-dir is '{ArtifactsDir}'; it must be one folder name inside LOCAL (no '/', '..' or '.').", ex);
        }
    }

    private async Task SyncStateAsync(StorageUri local, StorageUri remote, IReadOnlyList<string> policyExcludes, SyncOptions options, string operation, CancellationToken cancellationToken)
    {
        var result = await SyncReportedAsync(local, remote, options with { Exclude = [.. options.Exclude, .. policyExcludes] }, operation, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new SyncException($"{result.Failures.Count} files failed.", result);
        }
    }

    private async Task UploadCheckpointsAsync(StorageUri local, RunSyncPolicy policy, CheckpointTracker tracker, SyncOptions options, TimeSpan settle, CancellationToken cancellationToken)
    {
        IReadOnlyList<ReadyCheckpoint> ready;
        try
        {
            ready = tracker.Scan();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A folder being renamed or locked mid-scan: the next check sees it settled.
            ReportFailure($"checking checkpoints failed: {ex.Message} Retrying in {Seconds(settle)} s.", "checkpointFailed", null, ex);
            return;
        }

        foreach (var checkpoint in ready)
        {
            try
            {
                var result = await SyncReportedAsync(local.Join(checkpoint.Name), policy.CheckpointDestination(checkpoint.Name), options, "checkpoint " + checkpoint.Name, cancellationToken).ConfigureAwait(false);
                if (result.Succeeded && policy.UploadsArtifactsWithCheckpoints && Directory.Exists(Path.Combine(local.Path, policy.ArtifactsFolder)))
                {
                    result = await SyncReportedAsync(local.Join(policy.ArtifactsFolder), policy.ArtifactsDestination, options, "artifacts with " + checkpoint.Name, cancellationToken).ConfigureAwait(false);
                }

                if (!result.Succeeded)
                {
                    throw new SyncException($"{result.Failures.Count} files failed.", result);
                }

                tracker.Uploaded(checkpoint);
                _checkpointUploads++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                ReportFailure($"checkpoint {checkpoint.Name} failed: {ex.Message} Retrying in {Seconds(settle)} s.", "checkpointFailed", null, ex);
            }
        }
    }

    private async Task<SyncResult> SyncReportedAsync(StorageUri source, StorageUri destination, SyncOptions options, string operation, CancellationToken cancellationToken)
    {
        var reporter = NewReporter();
        var result = await SyncWithTimeoutAsync(source, destination, options, reporter, operation, cancellationToken).ConfigureAwait(false);
        reporter.Summary(result);
        return result;
    }

    private void ReportFailure(string message, string jsonEvent, int? syncNumber, Exception ex)
    {
        Console.Error.WriteLine("error: " + message);
        if (Json)
        {
            JsonLines.Write(Console, w =>
            {
                w.WriteString("event", jsonEvent);
                if (syncNumber is { } n)
                {
                    w.WriteNumber("sync", n);
                }

                w.WriteString("message", ex.Message);
            });
        }
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString(CultureInfo.InvariantCulture);
}
