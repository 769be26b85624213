using McMaster.Extensions.CommandLineUtils;
using SyncTooling.Cli.Output;
using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Validation;

namespace SyncTooling.Cli.Commands;

/// <summary>The options of `up`, `down` and `watch`, checked before anything is read or written.</summary>
internal abstract class TransferCommandBase(CliContext context) : RemoteCommandBase(context)
{
    [Option("-x|--exclude <PATTERN>", CommandOptionType.MultipleValue, Description = "Skip paths matching this fnmatch pattern (relative POSIX path; '*' also matches '/'; 'dir/' skips a folder). Repeatable.")]
    public string[] Exclude { get; set; } = [];

    [Option("--delete", Description = "Delete destination files the source does not have (excluded files are never deleted).")]
    public bool Delete { get; set; }

    [Option("--allow-empty-source", Description = "With --delete, allow a source with no files, which deletes everything in the destination (refused by default: an empty source is usually a missing mount).")]
    public bool AllowEmptySource { get; set; }

    [Option("--max-delete <N>", Description = "Refuse the sync, before changing anything, if it would delete more than N files.")]
    public int? MaxDelete { get; set; }

    [Option("--dry-run", Description = "Show what would be transferred and deleted; change nothing.")]
    public bool DryRun { get; set; }

    [Option("--checksum", Description = "Compare MD5s of same-size files instead of modification times.")]
    public bool Checksum { get; set; }

    [Option("-j|--jobs <N>", Description = "Parallel transfers, 1 to 256 (default 8).")]
    public int Jobs { get; set; } = SyncOptions.DefaultJobs;

    [Option("--shard <K/N>", Description = "Sync only shard K of N (1-based) of the keys, by a stable hash of each key: N runs with 1/N .. N/N split one sync. Deletes stay within the shard.")]
    public string? Shard { get; set; }

    /// <summary>Builds the engine options; a bad value is a usage error naming the option and what is allowed.</summary>
    protected SyncOptions BuildOptions()
    {
        if (Jobs is < 1 or > 256)
        {
            throw new UsageException($"--jobs is {Jobs}; it must be between 1 and 256.");
        }

        CheckRemoteOptions();

        if (MaxDelete is < 0)
        {
            throw new UsageException($"--max-delete is {MaxDelete}; it must be 0 or more.");
        }

        if (MaxDelete is not null && !Delete)
        {
            throw new UsageException("--max-delete limits --delete; add --delete or drop --max-delete.");
        }

        if (AllowEmptySource && !Delete)
        {
            throw new UsageException("--allow-empty-source allows --delete from an empty source; add --delete or drop --allow-empty-source.");
        }

        foreach (string pattern in Exclude)
        {
            // SYNC009 is a warning in code, where a pattern may be intended; on the command line it is a typo.
            if (SyncRules.CheckExcludePattern(pattern) is { } finding)
            {
                throw new UsageException(finding.RuleId + ": " + finding.Message);
            }
        }

        SyncShard? shard = null;
        if (Shard is not null && !SyncShard.TryParse(Shard, out shard))
        {
            throw new UsageException($"--shard is '{Shard}'; {SyncShard.Allowed}.");
        }

        return new SyncOptions
        {
            Shard = shard,
            Exclude = Exclude,
            Delete = Delete,
            AllowEmptySource = AllowEmptySource,
            MaxDelete = MaxDelete,
            DryRun = DryRun,
            Checksum = Checksum,
            Jobs = Jobs,
            Retries = Retries,
        };
    }

    /// <summary>Runs one sync with the reporter, the timeout and the interrupt; maps the result to an exit code.</summary>
    protected async Task<int> RunSyncAsync(string operation, StorageUri source, StorageUri destination, SyncOptions options, CancellationToken cancellationToken)
    {
        var reporter = new SyncReporter(Console, Mode, Context.TimeProvider, Verbose);
        var result = await SyncWithTimeoutAsync(source, destination, options, reporter, operation, cancellationToken).ConfigureAwait(false);
        reporter.Summary(result);
        return result.Succeeded ? ExitCodes.Success : ExitCodes.SyncFailed;
    }

    protected Task<SyncResult> SyncWithTimeoutAsync(StorageUri source, StorageUri destination, SyncOptions options, SyncReporter reporter, string operation, CancellationToken cancellationToken)
    {
        var engine = new SyncEngine(Context.Registry, new ResumeNotices(Console, Mode), Context.TimeProvider);
        reporter.Start(operation, source, destination, options.DryRun);
        return WithTimeoutAsync(
            "the sync",
            "files already written are complete, no partial files were left.",
            ct => engine.SyncAsync(source, destination, options, reporter, ct),
            cancellationToken);
    }
}
