using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests.Reliability;

/// <summary>
/// One case per bad input (arguments, locations, options, JSON config files): the exact message, the exit code,
/// and both sides unchanged. {local}, {remote} and {dir} stand for the test's folders.
/// </summary>
public sealed class BadInputCatalogueTests : IDisposable
{
    private const string Supported = "Supported: a local path, file:///path, memory://name/path, s3://bucket/prefix, gs://bucket/prefix, hdfs://host:port/path, az://container/prefix, abfs[s]://container@account.dfs.core.windows.net/prefix.";
    private const string Fields = "UploadDir, Syncer, SyncOnCheckpoint, SyncPeriod, SyncTimeout, SyncArtifacts, SyncArtifactsOnCheckpoint, Exclude";

    private static readonly Dictionary<string, string> ConfigFiles = new()
    {
        ["number-dir.json"] = """{ "UploadDir": 5 }""",
        ["broken.json"] = "{not json",
        ["empty.json"] = string.Empty,
        ["array.json"] = "[]",
        ["bad-period.json"] = """{ "SyncPeriod": "abc" }""",
        ["unknown-field.json"] = """{ "Frobnicate": 1 }""",
        ["bad-syncer.json"] = """{ "Syncer": "magic" }""",
        ["bad-bucket.json"] = """{ "UploadDir": "s3://Bad_Bucket/x" }""",
        ["negative-timeout.json"] = """{ "SyncTimeout": -5 }""",
        ["relative-dir.json"] = """{ "UploadDir": "relative/dir" }""",
        ["patterns.txt"] = "# ok\n/abs\n",
    };

    private readonly TempDirectory _temp = new();

    public BadInputCatalogueTests()
    {
        _temp.Write("local/a.txt", "alpha");
        _temp.Write("remote/old.txt", "old");
        foreach (var (name, text) in ConfigFiles)
        {
            _temp.Write("config/" + name, text);
        }
    }

    public static TheoryData<string, string[], int, string> Cases => new()
    {
        // Options of up/down/watch.
        { "jobs too high", ["up", "{local}", "{remote}", "-j", "257"], 2, "error: --jobs is 257; it must be between 1 and 256." },
        { "jobs not a number", ["up", "{local}", "{remote}", "--jobs", "abc"], 2, "error: Invalid value specified for jobs. 'abc' is not a valid number. Run 'sync up --help' for the options." },
        { "negative retries", ["up", "{local}", "{remote}", "--retries", "-1"], 2, "error: --retries is -1; it must be between 0 and 100." },
        { "too many retries", ["down", "{remote}", "{local}", "--retries", "101"], 2, "error: --retries is 101; it must be between 0 and 100." },
        { "negative max-delete", ["up", "{local}", "{remote}", "--delete", "--max-delete", "-1"], 2, "error: --max-delete is -1; it must be 0 or more." },
        { "max-delete without delete", ["up", "{local}", "{remote}", "--max-delete", "5"], 2, "error: --max-delete limits --delete; add --delete or drop --max-delete." },
        { "timeout not a number", ["up", "{local}", "{remote}", "--timeout", "abc"], 2, "error: --timeout is 'abc'; it must be a number of seconds greater than 0." },
        { "negative timeout", ["up", "{local}", "{remote}", "--timeout=-1"], 2, "error: --timeout is -1; it must be a number of seconds greater than 0." },
        { "NaN timeout", ["up", "{local}", "{remote}", "--timeout", "NaN"], 2, "error: --timeout is 'NaN'; it must be a number of seconds greater than 0." },
        { "unclosed exclude set", ["up", "{local}", "{remote}", "-x", "[abc"], 2, "error: SYNC009: Exclude pattern '[abc': '[' opens a character set that is never closed with ']'. Patterns use fnmatch syntax: *, ?, [seq], [!seq]." },
        { "empty exclude", ["down", "{remote}", "{local}", "-x", ""], 2, "error: SYNC009: Exclude pattern '': an empty pattern matches nothing. Patterns use fnmatch syntax: *, ?, [seq], [!seq]." },
        { "period not a number", ["watch", "{local}", "{remote}", "--period", "abc"], 2, "error: --period is 'abc'; it must be a number of seconds greater than 0." },
        { "zero period", ["watch", "{local}", "{remote}", "--period", "0"], 2, "error: --period is 0; it must be a number of seconds greater than 0." },
        { "unknown option on down", ["down", "{remote}", "{local}", "--frob"], 2, "error: Unrecognized option '--frob'. Run 'sync down --help' for the options." },

        // Flags from aws-cli and rclone, mistyped or combined wrongly (issue 15).
        { "mistyped flag", ["up", "{local}", "{remote}", "--dry-runn"], 2, "error: Unrecognized option '--dry-runn'. Did you mean '--dry-run'? Run 'sync up --help' for the options." },
        { "flag cut short", ["ls", "{remote}", "--endpoint", "http://127.0.0.1:9000"], 2, "error: Unrecognized option '--endpoint'. Did you mean '--endpoint-url'? Run 'sync ls --help' for the options." },
        { "letters swapped", ["down", "{remote}", "{local}", "--exclude-form", "x"], 2, "error: Unrecognized option '--exclude-form'. Did you mean '--exclude-from'? Run 'sync down --help' for the options." },
        { "aws-cli's verb", ["sync", "{local}", "{remote}"], 2, "error: Unrecognized command or argument 'sync'. Did you mean 'up LOCAL REMOTE' or 'down REMOTE LOCAL'? Run 'sync --help' for the options." },
        { "command typo", ["upp", "{local}", "{remote}"], 2, "error: Unrecognized command or argument 'upp'. Did you mean 'up'? Run 'sync --help' for the options." },
        { "unclosed include set", ["up", "{local}", "{remote}", "--include", "[abc"], 2, "error: SYNC009: Include pattern '[abc': '[' opens a character set that is never closed with ']'. Patterns use fnmatch syntax: *, ?, [seq], [!seq]." },
        { "exclude-from missing", ["up", "{local}", "{remote}", "--exclude-from", "{dir}/none.txt"], 2, "error: --exclude-from '{dir}/none.txt' cannot be read: Could not find file '{dir}/none.txt'." },
        { "exclude-from bad line", ["up", "{local}", "{remote}", "--exclude-from", "{dir}/config/patterns.txt"], 2, "error: SYNC009: --exclude-from '{dir}/config/patterns.txt' line 2: Exclude pattern '/abs': patterns match paths relative to the sync root, which never start with '/'. Patterns use fnmatch syntax: *, ?, [seq], [!seq]." },
        { "two comparisons", ["up", "{local}", "{remote}", "--size-only", "--checksum"], 2, "error: --checksum, --size-only and --exact-timestamps each choose how files are compared; give at most one." },
        { "jobs and transfers differ", ["up", "{local}", "{remote}", "-j", "4", "--transfers", "6"], 2, "error: --jobs is 4 and --transfers is 6; they are one setting, give one of them." },
        { "bad region flag", ["ls", "s3://bucket/x", "--region", "us_east"], 2, "error: --region 'us_east' is not usable: option 'region' is a name such as us-east-1 (letters, digits and '-', not at either end), not 'us_east'." },
        { "region flag against the location", ["ls", "s3://bucket/x?region=eu-west-1", "--region", "us-east-1"], 2, "error: REMOTE sets region=eu-west-1 and --region is 'us-east-1'; give one of them." },
        { "bad endpoint flag", ["ls", "s3://bucket/x", "--endpoint-url", "ftp://host"], 2, "error: --endpoint-url 'ftp://host' is not usable: option 'endpoint_override' is host[:port] or http(s)://host[:port] ([::1]:9000 for IPv6), not 'ftp://host': the scheme is http or https." },
        { "memory refused", ["up", "{local}", "memory://store/x"], 2, "error: REMOTE: memory:// lives inside one process only, so what this command wrote there would be gone when it ends; use a local path or an object store (memory:// is for code and tests)." },
        { "hadoop's s3a", ["up", "{local}", "s3a://bucket/x"], 2, "error: SYNC001: REMOTE: 's3a://bucket/x' is not a supported storage location: 's3a://' is another tool's name for s3://; write 's3://'. " + Supported },
        { "gcsfs's gcs", ["down", "gcs://bucket/x", "{local}"], 2, "error: SYNC001: REMOTE: 'gcs://bucket/x' is not a supported storage location: 'gcs://' is another tool's name for gs://; write 'gs://'. " + Supported },

        // --timeout and --retries of ls and delete: checked before anything is listed or deleted.
        { "ls zero timeout", ["ls", "{remote}", "--timeout", "0"], 2, "error: --timeout is 0; it must be a number of seconds greater than 0." },
        { "delete timeout not a number", ["delete", "{remote}", "--timeout", "soon"], 2, "error: --timeout is 'soon'; it must be a number of seconds greater than 0." },
        { "delete too many retries", ["delete", "{remote}", "--retries", "101"], 2, "error: --retries is 101; it must be between 0 and 100." },
        { "ls negative retries", ["ls", "{remote}", "--retries", "-1"], 2, "error: --retries is -1; it must be between 0 and 100." },
        { "timeout past a timer's range", ["ls", "{remote}", "--timeout", "10000000"], 2, "error: --timeout is 10000000; it must be at most 4294967 seconds (about 49 days, the longest a timer runs)." },
        { "period past a timer's range", ["watch", "{local}", "{remote}", "--period", "5000000"], 2, "error: --period is 5000000; it must be at most 4294967 seconds (about 49 days, the longest a timer runs)." },

        // Arguments and commands.
        { "up without arguments", ["up"], 2, "error: missing LOCAL and REMOTE: sync up LOCAL REMOTE." },
        { "up without remote", ["up", "{local}"], 2, "error: missing REMOTE: sync up LOCAL REMOTE." },
        { "extra argument", ["up", "{local}", "{remote}", "extra"], 2, "error: Unrecognized command or argument 'extra'. Run 'sync up --help' for the options." },
        { "unknown command", ["frobnicate"], 2, "error: Unrecognized command or argument 'frobnicate'. Run 'sync --help' for the options." },
        { "delete without remote", ["delete"], 2, "error: missing REMOTE: sync delete REMOTE." },
        { "ls without remote", ["ls"], 2, "error: missing REMOTE: sync ls REMOTE." },
        { "missing local source", ["up", "{dir}/missing", "{remote}", "--delete"], 3, "error: Source '{dir}/missing' does not exist. Nothing was transferred or deleted." },
        { "local source is a file", ["up", "{local}/a.txt", "{remote}", "--delete"], 1, "error: '{local}/a.txt' is a file, not a directory." },

        // Locations.
        { "s3 without bucket", ["up", "{local}", "s3://"], 2, "error: SYNC001: REMOTE: 's3://' is not a supported storage location: s3:// needs a bucket: s3://bucket/prefix. " + Supported },
        { "gs without bucket", ["down", "gs://", "{local}"], 2, "error: SYNC001: REMOTE: 'gs://' is not a supported storage location: gs:// needs a bucket: gs://bucket/prefix. " + Supported },
        { "bad bucket name", ["up", "{local}", "s3://Bad_Bucket/x"], 2, "error: SYNC008: REMOTE: 'Bad_Bucket' is not a valid bucket name: bucket names use only lower-case letters, digits, '-' and '.'." },
        { "short bucket name", ["ls", "s3://b/x"], 2, "error: SYNC008: REMOTE: 'b' is not a valid bucket name: bucket names are 3 to 63 characters long." },
        { "unknown s3 option", ["up", "{local}", "s3://bucket/x?unknown_opt=1"], 2, "error: SYNC001: REMOTE: 's3://bucket/x?unknown_opt=***' is not a supported storage location: unknown option 'unknown_opt'; s3:// accepts region, endpoint_override, scheme, force_path_style, request_checksum_calculation, profile, disable_checksum, access_key, secret_key, session_token. " + Supported },
        { "not a boolean", ["up", "{local}", "s3://bucket/x?disable_checksum=yes"], 2, "error: SYNC001: REMOTE: 's3://bucket/x?disable_checksum=yes' is not a supported storage location: option 'disable_checksum' is true or false, not 'yes'. " + Supported },
        { "empty s3 option", ["up", "{local}", "s3://bucket/x?region="], 2, "error: SYNC001: REMOTE: 's3://bucket/x?region=' is not a supported storage location: option 'region' needs a value. " + Supported },
        { "relative file uri", ["up", "{local}", "file://relative"], 2, "error: SYNC001: REMOTE: 'file://relative' is not a supported storage location: file URIs are absolute: file:///path (a host other than localhost is not supported). " + Supported },
        { "memory without store", ["up", "{local}", "memory://"], 2, "error: SYNC001: REMOTE: 'memory://' is not a supported storage location: memory:// needs a store name: memory://name/path. " + Supported },
        { "http scheme", ["down", "http://host/x", "{local}"], 2, "error: SYNC001: REMOTE: 'http://host/x' is not a supported storage location: unknown scheme 'http'. " + Supported },

        // sync validate --config FILE.
        { "config file missing", ["validate", "--config", "{dir}/config/missing.json"], 2, "error: --config '{dir}/config/missing.json' cannot be read: Could not find file '{dir}/config/missing.json'." },
        { "config field of the wrong type", ["validate", "--config", "{dir}/config/number-dir.json"], 2, "error: --config '{dir}/config/number-dir.json': UploadDir must be a string." },
        { "config not JSON", ["validate", "--config", "{dir}/config/broken.json"], 2, "error: --config '{dir}/config/broken.json' is not valid JSON: 'n' is an invalid start of a property name. Expected a '\"'. LineNumber: 0 | BytePositionInLine: 1." },
        { "config empty", ["validate", "--config", "{dir}/config/empty.json"], 2, "error: --config '{dir}/config/empty.json' is not valid JSON: The input does not contain any JSON tokens. Expected the input to start with a valid JSON token, when isFinalBlock is true. LineNumber: 0 | BytePositionInLine: 0." },
        { "config not an object", ["validate", "--config", "{dir}/config/array.json"], 2, $"error: --config '{{dir}}/config/array.json' must hold a JSON object with SyncConfig's fields: {Fields}." },
        { "config period not a duration", ["validate", "--config", "{dir}/config/bad-period.json"], 2, "error: --config '{dir}/config/bad-period.json': SyncPeriod is 'abc'; it must be a number of seconds or hh:mm:ss." },
        { "config unknown field", ["validate", "--config", "{dir}/config/unknown-field.json"], 2, $"error: --config '{{dir}}/config/unknown-field.json': Frobnicate is not a SyncConfig field; allowed: {Fields}." },
        { "config unknown syncer", ["validate", "--config", "{dir}/config/bad-syncer.json"], 2, "error: --config '{dir}/config/bad-syncer.json': Syncer is 'magic'; it must be auto, none (syncing disabled) or custom." },
        { "config bad bucket", ["validate", "--config", "{dir}/config/bad-bucket.json"], 2, "SYNC008 error: UploadDir: 'Bad_Bucket' is not a valid bucket name: bucket names use only lower-case letters, digits, '-' and '.'.\n1 errors, 0 warnings." },
        { "config negative timeout", ["validate", "--config", "{dir}/config/negative-timeout.json"], 2, "SYNC005 error: SyncTimeout is -00:00:05; it must be greater than zero.\n1 errors, 0 warnings." },
        { "config relative upload dir", ["validate", "--config", "{dir}/config/relative-dir.json"], 2, "SYNC001 error: UploadDir: 'relative/dir' is a relative path, which depends on the current directory; use an absolute path or one of: a local path, file:///path, memory://name/path, s3://bucket/prefix, gs://bucket/prefix, hdfs://host:port/path, az://container/prefix, abfs[s]://container@account.dfs.core.windows.net/prefix.\n1 errors, 0 warnings." },
        { "validate bad boolean", ["validate", "--sync-on-checkpoint", "maybe"], 2, "error: --sync-on-checkpoint is 'maybe'; it must be true or false." },
        { "validate unknown syncer", ["validate", "--syncer", "magic"], 2, "error: --syncer is 'magic'; it must be auto, none (syncing disabled) or custom." },
        { "validate negative period", ["validate", "--sync-period", "-1"], 2, "SYNC005 error: SyncPeriod is -00:00:01; it must be greater than zero.\n1 errors, 0 warnings." },
    };

    public void Dispose() => _temp.Dispose();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task IsRejected_WithItsMessageAndExitCode_AndNothingChanges(string name, string[] args, int exitCode, string message)
    {
        _ = name;
        string local = _temp.Combine("local");
        string remote = _temp.Combine("remote");
        var localBefore = TempDirectory.Snapshot(local);
        var remoteBefore = TempDirectory.Snapshot(remote);

        var result = await SyncRun.RunAsync(new TestConsole(), args.Select(Expand).ToArray());

        // Findings of `validate` go to stdout; every other rejection is one line on stderr.
        string output = message.StartsWith("error: ", StringComparison.Ordinal) ? result.Stderr : result.Stdout;
        Assert.Equal(exitCode, result.ExitCode);
        Assert.Equal(Expand(message) + "\n", output);
        Assert.Equal(localBefore, TempDirectory.Snapshot(local));
        Assert.Equal(remoteBefore, TempDirectory.Snapshot(remote));
    }

    private string Expand(string text) => text
        .Replace("{local}", _temp.Combine("local"), StringComparison.Ordinal)
        .Replace("{remote}", _temp.Combine("remote"), StringComparison.Ordinal)
        .Replace("{dir}", _temp.Path, StringComparison.Ordinal);
}
