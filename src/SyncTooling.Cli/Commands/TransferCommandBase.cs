using McMaster.Extensions.CommandLineUtils;
using SyncTooling.Cli.Output;
using SyncTooling.Storage;
using SyncTooling.Sync;

namespace SyncTooling.Cli.Commands;

/// <summary>The options of `up`, `down` and `watch`, checked before anything is read or written.</summary>
internal abstract class TransferCommandBase(CliContext context) : RemoteCommandBase(context)
{
    private SyncReporter? _reporter;

    [Option("-x|--exclude <PATTERN>", CommandOptionType.MultipleValue, Description = "Skip paths matching this fnmatch pattern (relative POSIX path; '*' also matches '/'; 'dir/' skips a folder). Repeatable; with --include, the last matching filter wins.")]
    public string[] Exclude { get; set; } = [];

    [Option("--include <PATTERN>", CommandOptionType.MultipleValue, Description = "Keep paths matching this pattern even if an earlier --exclude matched (--exclude '*' --include '*.csv': CSV files only). Repeatable.")]
    public string[] Include { get; set; } = [];

    [Option("--exclude-from <FILE>", CommandOptionType.MultipleValue, Description = "Read exclude patterns from FILE, one a line ('#' starts a comment line). Repeatable.")]
    public string[] ExcludeFrom { get; set; } = [];

    [Option("--delete", Description = "Delete destination files the source does not have (excluded files are never deleted).")]
    public bool Delete { get; set; }

    [Option("--allow-empty-source", Description = "With --delete, allow a source with no files, which deletes everything in the destination (refused by default: an empty source is usually a missing mount).")]
    public bool AllowEmptySource { get; set; }

    [Option("--max-delete <N>", Description = "Refuse the sync, before changing anything, if it would delete more than N files.")]
    public int? MaxDelete { get; set; }

    [Option("-n|--dry-run", Description = "Show what would be transferred and deleted; change nothing (also --dryrun).")]
    public bool DryRun { get; set; }

    [Option("--dryrun", Description = "aws-cli's spelling of --dry-run.", ShowInHelpText = false)]
    public bool DryRunAlias { get; set; }

    [Option("--checksum", Description = "Compare MD5s of same-size files instead of modification times.")]
    public bool Checksum { get; set; }

    [Option("--size-only", Description = "Compare sizes only: a same-size file is never transferred again.")]
    public bool SizeOnly { get; set; }

    [Option("--exact-timestamps", Description = "Transfer a same-size file unless both modification times are equal (by default only a newer source is).")]
    public bool ExactTimestamps { get; set; }

    [Option("-j|--jobs <N>", Description = "Parallel transfers, 1 to 256 (default 16; also --transfers).")]
    public int Jobs { get; set; } = SyncOptions.DefaultJobs;

    [Option("--shard <K/N>", Description = "Sync only shard K of N (1-based) of the keys, by a stable hash of each key: N runs with 1/N .. N/N split one sync. Deletes stay within the shard.")]
    public string? Shard { get; set; }

    [Option("--transfers <N>", Description = "rclone's name for --jobs.", ShowInHelpText = false)]
    public int? Transfers { get; set; }

    [Option("--no-progress", Description = "No live progress line on a terminal; a line per file instead, as when redirected.")]
    public bool NoProgress { get; set; }

    /// <summary>--no-progress turns the live line into the redirected output's line per file.</summary>
    protected OutputMode TransferMode => NoProgress && Mode == OutputMode.Terminal ? OutputMode.Plain : Mode;

    /// <summary>Builds the engine options; a bad value is a usage error naming the option and what is allowed.</summary>
    protected SyncOptions BuildOptions()
    {
        if (Transfers is { } transfers)
        {
            if (Jobs != SyncOptions.DefaultJobs && Jobs != transfers)
            {
                throw new UsageException($"--jobs is {Jobs} and --transfers is {transfers}; they are one setting, give one of them.");
            }

            Jobs = transfers;
        }

        if (Jobs is < 1 or > 256)
        {
            throw new UsageException($"--jobs is {Jobs}; it must be between 1 and 256.");
        }

        if ((Checksum ? 1 : 0) + (SizeOnly ? 1 : 0) + (ExactTimestamps ? 1 : 0) > 1)
        {
            throw new UsageException("--checksum, --size-only and --exact-timestamps each choose how files are compared; give at most one.");
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

        SyncShard? shard = null;
        if (Shard is not null && !SyncShard.TryParse(Shard, out shard))
        {
            throw new UsageException($"--shard is '{Shard}'; {SyncShard.Allowed}.");
        }

        return new SyncOptions
        {
            Shard = shard,
            Filters = FilterArguments.Read(Context.Arguments, Include, Exclude, ExcludeFrom, Context.TimeProvider),
            Delete = Delete,
            AllowEmptySource = AllowEmptySource,
            MaxDelete = MaxDelete,
            DryRun = DryRun || DryRunAlias,
            Checksum = Checksum,
            SizeOnly = SizeOnly,
            ExactTimestamps = ExactTimestamps,
            Jobs = Jobs,
            Retries = Retries,
        };
    }

    /// <summary>Runs one sync with the reporter, the timeout and the interrupt; maps the result to an exit code.</summary>
    protected async Task<int> RunSyncAsync(string operation, StorageUri source, StorageUri destination, SyncOptions options, CancellationToken cancellationToken)
    {
        var reporter = NewReporter();
        var result = await SyncWithTimeoutAsync(source, destination, options, reporter, operation, cancellationToken).ConfigureAwait(false);
        reporter.Summary(result);
        return result.Succeeded ? ExitCodes.Success : ExitCodes.SyncFailed;
    }

    /// <summary>The reporter of one sync; an error printed while it runs starts on a line of its own.</summary>
    protected SyncReporter NewReporter()
    {
        var reporter = new SyncReporter(Console, TransferMode, Context.TimeProvider, Verbose, Context.TerminalWidth);
        _reporter = reporter;
        return reporter;
    }

    /// <inheritdoc />
    protected override void EndLiveOutput() => _reporter?.EndLine();

    protected Task<SyncResult> SyncWithTimeoutAsync(StorageUri source, StorageUri destination, SyncOptions options, SyncReporter reporter, string operation, CancellationToken cancellationToken)
    {
        var engine = new SyncEngine(Context.Registry, new ResumeNotices(Console, Mode), Context.TimeProvider);
        reporter.Start(operation, source, destination, options.DryRun);
        return WithTimeoutAsync(
            "the sync",
            "files already written are complete and none was left half-written (the next run resumes a large transfer that was cut off).",
            ct => engine.SyncAsync(source, destination, options, reporter, ct),
            cancellationToken);
    }
}
