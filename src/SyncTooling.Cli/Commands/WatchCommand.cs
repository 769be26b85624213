using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Runtime.ExceptionServices;
using McMaster.Extensions.CommandLineUtils;
using SyncTooling.Cli.Output;
using SyncTooling.Cli.Watch;

namespace SyncTooling.Cli.Commands;

/// <summary>`sync watch LOCAL REMOTE`: sync up now, every period, and once more on Ctrl+C or SIGTERM.</summary>
[Command("watch", Description = "Sync a local directory up now, then every --period seconds, and a final time on Ctrl+C.", ExtendedHelpText = Help.Watch)]
internal sealed class WatchCommand(CliContext context) : TransferCommandBase(context)
{
    [Argument(0, "LOCAL", Description = "The local directory to read.")]
    [Required(ErrorMessage = "missing LOCAL and REMOTE: sync watch LOCAL REMOTE.")]
    public string? Local { get; set; }

    [Argument(1, "REMOTE", Description = "The storage location to write.")]
    [Required(ErrorMessage = "missing REMOTE: sync watch LOCAL REMOTE.")]
    public string? Remote { get; set; }

    [Option("--period <SECONDS>", Description = "Seconds from the start of one sync to the start of the next (default 300, SyncConfig's SyncPeriod).")]
    public string? Period { get; set; }

    protected override async Task<int> ExecuteAsync()
    {
        var period = ParseSeconds(Period, "--period", Syncer.DefaultSyncPeriod);
        _ = SyncTimeout; // a bad --timeout must fail now, not at the first sync
        var options = BuildOptions();
        var local = ParseLocation(Local, "LOCAL");
        if (!local.IsLocal)
        {
            throw new UsageException($"LOCAL '{local}' is not a local directory; watch syncs a local directory up.");
        }

        var remote = ParseLocation(Remote, "REMOTE");
        int failedRuns = 0;
        var loop = new WatchLoop(Context.TimeProvider, period, async (run, ct) =>
        {
            var reporter = new SyncReporter(Console, Mode, Context.TimeProvider, Verbose);
            var result = await SyncWithTimeoutAsync(local, remote, options, reporter, run.IsFinal ? "final sync up" : "sync up", ct).ConfigureAwait(false);
            reporter.Summary(result);
            if (!result.Succeeded)
            {
                throw new SyncException($"{result.Failures.Count} files failed.", result);
            }
        });

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

                    string message = $"sync {run.Number} failed: {ex.Message} Retrying in {period.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.";
                    Console.Error.WriteLine("error: " + message);
                    if (Json)
                    {
                        JsonLines.Write(Console, w =>
                        {
                            w.WriteString("event", "syncFailed");
                            w.WriteNumber("sync", run.Number);
                            w.WriteString("message", ex.Message);
                        });
                    }

                    return Task.CompletedTask;
                },
                Context.Interrupted,
                Context.ForceQuit).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (Context.ForceQuit.IsCancellationRequested)
        {
            return Fail(ExitCodes.Interrupted, "interrupted again during the final sync; files already written are complete, no partial files were left.", null);
        }

        if (Mode is OutputMode.Plain or OutputMode.Terminal)
        {
            Console.Out.WriteLine($"Stopped after {loop.Runs} syncs ({failedRuns} failed before the final one); the final sync succeeded.");
        }
        else if (Json)
        {
            JsonLines.Write(Console, w =>
            {
                w.WriteString("event", "stopped");
                w.WriteNumber("syncs", loop.Runs);
                w.WriteNumber("failedSyncs", failedRuns);
            });
        }

        return ExitCodes.Success;
    }
}
