using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ValidConfig_ExitsZero()
    {
        var result = await SyncRun.RunAsync("validate", "--upload-dir", "s3://my-bucket/experiments", "--sync-period", "60");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["The configuration is valid: no findings."], result.StdoutLines);
    }

    [Fact]
    public async Task Options_PrintEachFindingWithItsRuleId()
    {
        var result = await SyncRun.RunAsync("validate", "--upload-dir", "s3://Bad_Bucket/x", "--sync-period", "-5", "-x", "[abc");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            [
                "SYNC008 error: UploadDir: 'Bad_Bucket' is not a valid bucket name: bucket names use only lower-case letters, digits, '-' and '.'.",
                "SYNC005 error: SyncPeriod is -00:00:05; it must be greater than zero.",
                "SYNC009 error: Exclude pattern '[abc': '[' opens a character set that is never closed with ']'. Patterns use fnmatch syntax: *, ?, [seq], [!seq].",
                "3 errors, 0 warnings.",
            ],
            result.StdoutLines);
    }

    [Fact]
    public async Task JsonFile_UsesSyncConfigFields()
    {
        string path = _temp.Write("sync.json", """{ "UploadDir": "relative/dir", "Syncer": null, "SyncArtifactsOnCheckpoint": false }""");

        var result = await SyncRun.RunAsync("validate", "--config", path, "--json");

        Assert.Equal(2, result.ExitCode);
        var findings = result.JsonEvents().Where(e => e.GetProperty("event").GetString() == "finding").ToList();
        Assert.Equal(["SYNC001", "SYNC003", "SYNC006"], findings.Select(f => f.GetProperty("ruleId").GetString()));
        Assert.Equal(["error", "error", "warning"], findings.Select(f => f.GetProperty("severity").GetString()));
    }

    [Fact]
    public async Task JsonFile_UnknownField_IsAUsageError()
    {
        string path = _temp.Write("sync.json", """{ "UplodDir": "s3://b/x" }""");

        var result = await SyncRun.RunAsync("validate", "-c", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            $"error: --config '{path}': UplodDir is not a SyncConfig field; allowed: UploadDir, Syncer, SyncOnCheckpoint, SyncPeriod, SyncTimeout, SyncArtifacts, SyncArtifactsOnCheckpoint, Exclude.\n",
            result.Stderr);
    }

    [Fact]
    public async Task Warnings_AloneExitZero()
    {
        var result = await SyncRun.RunAsync("validate", "--upload-dir", "s3://my-bucket/x", "--sync-on-checkpoint", "false");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("SYNC002 warning: SyncOnCheckpoint has no effect", result.StdoutLines[0]);
    }
}
