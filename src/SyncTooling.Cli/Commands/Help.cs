namespace SyncTooling.Cli.Commands;

/// <summary>The examples shown under each command's --help.</summary>
internal static class Help
{
    private const string ExitCodes = """


        Exit codes: 0 success, 1 sync failed, 2 usage or validation error, 3 source not found, 130 interrupted.
        """;

    public const string RootExamples = """

        Examples:
          dotnet sync demo
          dotnet sync up ./run1 s3://my-bucket/experiments/run1 -x '*.tmp' -x 'cache/'
          dotnet sync down s3://my-bucket/experiments/run1 ./restore --json
          dotnet sync ls s3://my-bucket/experiments
          dotnet sync watch ./run1 s3://my-bucket/experiments/run1 --period 60
          dotnet sync validate --upload-dir s3://my-bucket/experiments --sync-period 300
        """ + ExitCodes;

    public const string Up = """

        Examples:
          dotnet sync up ./run1 s3://my-bucket/experiments/run1
          dotnet sync up ./run1 /mnt/backup/run1 --delete --max-delete 100
          dotnet sync up ./run1 gs://my-bucket/run1 -x '*.tmp' -x 'checkpoint_*/scratch/*' --dry-run
          dotnet sync up ./run1 s3://my-bucket/run1?region=eu-west-1 --checksum -j 16 --json
          dotnet sync up ./run1 s3://my-bucket/run1 --timeout 600 --retries 0
          dotnet sync up ./data s3://my-bucket/csv --exclude '*' --include '*.csv' --dryrun
          dotnet sync up ./site s3://my-bucket/site --endpoint-url http://127.0.0.1:9000 --size-only
        """ + Bounded + ExitCodes;

    public const string Down = """

        Examples:
          dotnet sync down s3://my-bucket/experiments/run1 ./restore
          dotnet sync down s3://my-bucket/experiments/run1 ./restore --delete --dry-run
          dotnet sync down s3://my-bucket/run1 ./restore -x 'logs/' --only-show-errors
        """ + Bounded + ExitCodes;

    private const string Bounded = """


        The command ends within --timeout (default 1800 s) whatever the server does: one that never answers, answers
        one byte at a time or lists pages without end; the error says which it was. --retries N sends each request
        at most N + 1 times (0: once).
        """;

    public const string Delete = """

        Deletes every file below REMOTE without asking; --dry-run lists what would go. REMOTE as /, ~, the
        current folder (or a folder holding one of them) or a whole bucket (s3://bucket) needs --force.

        Examples:
          dotnet sync delete s3://my-bucket/experiments/run1 --dry-run
          dotnet sync delete s3://my-bucket/experiments/run1
          dotnet sync delete s3://my-bucket/experiments/run1 --timeout 60 --retries 0
        """ + Bounded + ExitCodes;

    public const string Ls = """

        Examples:
          dotnet sync ls s3://my-bucket/experiments
          dotnet sync ls /mnt/backup/run1 --json
          dotnet sync ls s3://my-bucket/experiments --timeout 30
        """ + Bounded + ExitCodes;

    public const string Watch = """

        Syncs a run directory up with Ray Tune's policy while another process writes it:
          - the run state (everything but checkpoint_* folders and the artifacts folder) at start and every
            --period seconds (never two syncs at once);
          - each top-level checkpoint_* folder on its own once it is complete: at once when it holds a
            .complete file, otherwise once its files (names, sizes, times) stay unchanged for
            --checkpoint-settle seconds; with --no-sync-on-checkpoint (local storage) checkpoints go with the
            periodic sync instead;
          - the artifacts folder only with --sync-artifacts (then also after each checkpoint, unless
            --no-sync-artifacts-on-checkpoint);
          - on Ctrl+C or SIGTERM, one final sync of everything (artifacts only with --sync-artifacts); a second
            Ctrl+C abandons it.
        A failed periodic sync is reported and retried at the next period, a failed checkpoint upload at the
        next check; a failed final sync sets the exit code.

        Examples:
          dotnet sync watch ./run1 s3://my-bucket/experiments/run1
          dotnet sync watch ./run1 /mnt/backup/run1 --period 60 -x '*.tmp'
          dotnet sync watch ./run1 /mnt/backup/run1 --checkpoint-settle 30 --no-sync-on-checkpoint
          dotnet sync watch ./run1 s3://my-bucket/run1 --sync-artifacts --artifacts-dir plots
        """ + Bounded + ExitCodes;

    public const string Validate = """

        Checks a SyncConfig with the rules of SyncConfig.Validate() and the analyzers (SYNC001 to SYNC009) and
        prints each finding with its rule id. Exclude patterns with SYNC009 findings are errors here.
        The JSON file holds SyncConfig's fields: UploadDir, Syncer ("auto", "custom" or null), SyncOnCheckpoint,
        SyncPeriod, SyncTimeout (seconds or "hh:mm:ss"), SyncArtifacts, SyncArtifactsOnCheckpoint, and
        optionally Exclude (a list of patterns).
        It reads no storage and makes no network call, so it needs no --timeout.

        Examples:
          dotnet sync validate --upload-dir s3://my-bucket/experiments --sync-period 300
          dotnet sync validate --config sync.json
          dotnet sync validate --upload-dir /data/out -x '*.tmp' --json
        """ + ExitCodes;

    public const string Demo = """

        Creates a small sample tree, syncs it up to a local directory acting as the remote, re-syncs to show
        that nothing unchanged is copied, syncs down into a fresh folder and verifies that it is identical.
        No cloud account needed.

        The folders go in DIR/source, DIR/remote and DIR/restore, and DIR/.synctooling-demo marks them as the demo's:
        a later demo into the same DIR replaces them. A DIR where any of the three is not empty and that has no
        marker is refused (exit code 2, nothing changed), and so is a file-system root or your home folder.

        Examples:
          dotnet sync demo
          dotnet sync demo --dir /tmp/sync-demo
        """ + ExitCodes;
}
