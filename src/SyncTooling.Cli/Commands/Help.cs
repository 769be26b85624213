namespace SyncTooling.Cli.Commands;

/// <summary>The examples shown under each command's --help.</summary>
internal static class Help
{
    private const string ExitCodes = """


        Exit codes: 0 success, 1 sync failed, 2 usage or validation error, 3 source not found, 130 interrupted.
        """;

    public const string RootExamples = """

        Examples:
          sync demo
          sync up ./run1 s3://my-bucket/experiments/run1 -x '*.tmp' -x 'cache/'
          sync down s3://my-bucket/experiments/run1 ./restore --json
          sync ls s3://my-bucket/experiments
          sync watch ./run1 s3://my-bucket/experiments/run1 --period 60
          sync validate --upload-dir s3://my-bucket/experiments --sync-period 300
        """ + ExitCodes;

    public const string Up = """

        Examples:
          sync up ./run1 s3://my-bucket/experiments/run1
          sync up ./run1 /mnt/backup/run1 --delete --max-delete 100
          sync up ./run1 gs://my-bucket/run1 -x '*.tmp' -x 'checkpoint_*/scratch/*' --dry-run
          sync up ./run1 s3://my-bucket/run1?region=eu-west-1 --checksum -j 16 --json
        """ + ExitCodes;

    public const string Down = """

        Examples:
          sync down s3://my-bucket/experiments/run1 ./restore
          sync down s3://my-bucket/experiments/run1 ./restore --delete --dry-run
          sync down memory://demo/run1 ./restore -x 'logs/' --quiet
        """ + ExitCodes;

    public const string Delete = """

        Deletes every file below REMOTE without asking; --dry-run lists what would go.

        Examples:
          sync delete s3://my-bucket/experiments/run1 --dry-run
          sync delete s3://my-bucket/experiments/run1
        """ + ExitCodes;

    public const string Ls = """

        Examples:
          sync ls s3://my-bucket/experiments
          sync ls /mnt/backup/run1 --json
        """ + ExitCodes;

    public const string Watch = """

        Syncs up at start and then every --period seconds (never two at once). Ctrl+C or SIGTERM runs one
        final sync and exits; a second Ctrl+C abandons it. A failed periodic sync is reported and retried at
        the next period; a failed final sync sets the exit code.

        Examples:
          sync watch ./run1 s3://my-bucket/experiments/run1
          sync watch ./run1 /mnt/backup/run1 --period 60 -x '*.tmp'
        """ + ExitCodes;

    public const string Validate = """

        Checks a SyncConfig with the rules of SyncConfig.Validate() and the analyzers (SYNC001 to SYNC009) and
        prints each finding with its rule id. Exclude patterns with SYNC009 findings are errors here.
        The JSON file holds SyncConfig's fields: UploadDir, Syncer ("auto", "custom" or null), SyncOnCheckpoint,
        SyncPeriod, SyncTimeout (seconds or "hh:mm:ss"), SyncArtifacts, SyncArtifactsOnCheckpoint, and
        optionally Exclude (a list of patterns).

        Examples:
          sync validate --upload-dir s3://my-bucket/experiments --sync-period 300
          sync validate --config sync.json
          sync validate --upload-dir /data/out -x '*.tmp' --json
        """ + ExitCodes;

    public const string Demo = """

        Creates a small sample tree, syncs it up to a local directory acting as the remote, re-syncs to show
        that nothing unchanged is copied, syncs down into a fresh folder and verifies that it is identical.
        No cloud account needed.

        Examples:
          sync demo
          sync demo --dir /tmp/sync-demo
        """ + ExitCodes;
}
