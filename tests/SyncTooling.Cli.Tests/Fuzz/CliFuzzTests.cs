using CsCheck;
using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Tests.Fuzz;

namespace SyncTooling.Cli.Tests.Fuzz;

/// <summary>
/// Fuzzed command lines through the real command pipeline (parsing, validation, the engine on memory:// and a temp
/// folder): every run ends with a documented exit code and at most one `error:` line, never a crash or a hang.
/// Corpus files (tests/fuzz/corpus/cli/) hold one argument per line.
/// </summary>
public sealed class CliFuzzTests(CliFuzzHost host) : IClassFixture<CliFuzzHost>
{
    private static readonly string[] Commands = ["up", "down", "ls", "delete", "validate", "", "UP", "--version", "--help", "frob", "-v", "--json"];

    private static readonly string[] Pieces =
    [
        "{src}", "{dst}", "{dir}/dst/new", "memory://fuzz/a", "memory://fuzz/b", "memory://fuzz/x?region=eu",
        "s3://bucket/p?access_key=AK&secret_key=" + CliFuzzHost.Secret, "s3://bucket/p?Secret%5FKey=" + CliFuzzHost.Secret,
        "s3://AKIA:" + CliFuzzHost.Secret + "@bucket/p", "s3://b/p?endpoint_override=http://u:" + CliFuzzHost.Secret + "@h:9000",
        "hdfs://[::1]:9870/p", "hdfs://::1:9870/p", "hdfs://nn:0/p", "gs://bucket/p", "file:///tmp/a%00b",
        "-x", "--exclude", "[z-a]", "[", "*", "*.tmp", "sub/", "-j", "0", "257", "-1", "99999999999", "abc", "--jobs=8", "-j8",
        "--timeout", "1e308", "NaN", "-0", "0.0000001", "Infinity", "--retries", "--max-delete", "--delete", "--dry-run", "--checksum",
        "--json", "-q", "-v", "--config", "{config}", "/dev/null", "/dev/zero", "{dir}", "{dir}/missing.json",
        "--upload-dir", "--syncer", "magic", "none", "--sync-period", "--sync-timeout", "10675199:02:48:05", "--sync-on-checkpoint",
        "yes", "maybe", "--sync-artifacts", "--", "-", "--unknown", "a\nb", "%zz", "\ud800", "", " ", "../../etc", "~", "~/x", "/",
        "C:\\x", "--help", "--include", "--include=*.csv", "--exclude-from", "--size-only", "--exact-timestamps", "--dryrun", "-n",
        "--transfers", "--no-progress", "--only-show-errors", "--endpoint-url", "--region", "--profile", "s3a://bucket/p", "gcs://bucket/p",
        "--dry-runn", "--endpoint",
    ];

    private static readonly Gen<string[]> CommandLines =
        Gen.Select(Gen.OneOf(Commands), Gen.OneOf(Pieces).Array[0, 7], (command, rest) => command.Length == 0 ? rest : [command, .. rest]);

    public static TheoryData<string> CorpusFiles => Corpus.Files("cli");

    [Fact]
    public Task BoundedPass_EveryCommandLineEndsWithADocumentedExitCode() =>
        FuzzPass.RunAsync(CommandLines, async args => await host.RunAsync(args), args => string.Join(" ", args.Select(FuzzPass.Escape)));

    /// <summary>The real process (Program, the physical console, no test registry) on corpus files that touch nothing outside memory://.</summary>
    [Theory]
    [InlineData("exclude-reversed-range")]
    [InlineData("secret-in-extra-argument")]
    [InlineData("secret-nested-endpoint-json")]
    [InlineData("config-dev-zero")]
    [InlineData("location-percent-nul")]
    [InlineData("exclude-from-dev-zero")]
    public async Task ChildProcess_EndsWithADocumentedExitCode_NeverACrash(string file)
    {
        string[] args = Corpus.Text("cli", file).Split('\n');
        using var child = SyncProcess.Start(new Dictionary<string, string> { ["AWS_EC2_METADATA_DISABLED"] = "true" }, host.Expand(args));

        int exitCode = await child.WaitForExitAsync(TimeSpan.FromMinutes(2));

        CliFuzzHost.Check(args, new CliResult(exitCode, child.Stdout, child.Stderr.Replace("\r", string.Empty, StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public async Task Corpus_EveryCommandLineEndsWithADocumentedExitCode(string file)
    {
        string[] args = Corpus.Text("cli", file).Split('\n');

        await host.RunAsync(args);
    }
}
