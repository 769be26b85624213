using System.ComponentModel.DataAnnotations;
using McMaster.Extensions.CommandLineUtils;
using SyncTooling.Cli.Output;
using SyncTooling.Sync;

namespace SyncTooling.Cli.Commands;

/// <summary>`sync delete REMOTE`: delete everything below REMOTE (no prompt, as in scripts); --dry-run lists it.</summary>
[Command("delete", Description = "Delete every file below a storage location.", ExtendedHelpText = Help.Delete)]
internal sealed class DeleteCommand(CliContext context) : RemoteCommandBase(context)
{
    [Argument(0, "REMOTE", Description = "The storage location to empty.")]
    [Required(ErrorMessage = "missing REMOTE: sync delete REMOTE.")]
    public string? Remote { get; set; }

    [Option("--dry-run", Description = "List what would be deleted; delete nothing.")]
    public bool DryRun { get; set; }

    [Option("--force", Description = "Allow REMOTE to be /, ~, the current folder (or a folder holding one of them) or a whole bucket.")]
    public bool Force { get; set; }

    protected override async Task<int> ExecuteAsync()
    {
        CheckRemoteOptions();
        var remote = ParseLocation(Remote, "REMOTE");
        var started = Context.TimeProvider.GetTimestamp();
        var engine = new SyncEngine(Context.Registry, timeProvider: Context.TimeProvider);
        var keys = await WithTimeoutAsync(
            "the delete",
            "files already deleted stay deleted, the others are untouched.",
            ct => engine.DeleteAsync(remote, DryRun, Force, Retries, ct),
            Context.Interrupted).ConfigureAwait(false);
        var elapsed = Context.TimeProvider.GetElapsedTime(started);
        switch (Mode)
        {
            case OutputMode.Json:
                foreach (string key in keys)
                {
                    JsonLines.Write(Console, w =>
                    {
                        w.WriteString("event", DryRun ? "wouldDelete" : "deleted");
                        w.WriteString("key", key);
                    });
                }

                JsonLines.Write(Console, w =>
                {
                    w.WriteString("event", "summary");
                    w.WriteBoolean("dryRun", DryRun);
                    w.WriteNumber("deleted", keys.Count);
                    w.WriteNumber("seconds", Math.Round(elapsed.TotalSeconds, 3));
                });
                break;
            case OutputMode.Plain or OutputMode.Terminal:
                if (DryRun || Verbose)
                {
                    foreach (string key in keys)
                    {
                        Console.Out.WriteLine((DryRun ? "would delete " : "deleted ") + SyncReporter.Shown(key));
                    }
                }

                Console.Out.WriteLine(DryRun
                    ? $"Dry run: would delete {Count(keys)} from {remote}. Nothing was changed."
                    : $"Deleted {Count(keys)} from {remote} in {Units.Seconds(elapsed)}.");
                break;
        }

        return ExitCodes.Success;
    }

    // A local target lists its folders too ("sub/").
    private static string Count(IReadOnlyList<string> keys)
    {
        int folders = keys.Count(k => k.EndsWith('/'));
        return folders == 0 ? $"{keys.Count} files" : $"{keys.Count - folders} files and {folders} folders";
    }
}
