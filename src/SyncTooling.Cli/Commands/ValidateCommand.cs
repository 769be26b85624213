using McMaster.Extensions.CommandLineUtils;
using SyncTooling.Cli.Output;
using SyncTooling.Cli.Config;
using SyncTooling.Validation;

namespace SyncTooling.Cli.Commands;

/// <summary>`sync validate`: the SyncConfig rules (SYNC001 to SYNC009) on a configuration given as options or a JSON file.</summary>
[Command("validate", Description = "Check a SyncConfig (options or a JSON file) and print each finding with its rule id.", ExtendedHelpText = Help.Validate)]
internal sealed class ValidateCommand(CliContext context) : CommandBase(context)
{
    [Option("-c|--config <FILE>", Description = "A JSON file with SyncConfig's fields; options given as well override it.")]
    public string? ConfigFile { get; set; }

    [Option("--upload-dir <LOCATION>", Description = "UploadDir: where to sync to.")]
    public string? UploadDir { get; set; }

    [Option("--syncer <KIND>", Description = "Syncer: auto (default), none (syncing disabled) or custom.")]
    public string? Syncer { get; set; }

    [Option("--sync-on-checkpoint <BOOL>", Description = "SyncOnCheckpoint: true or false.")]
    public string? SyncOnCheckpoint { get; set; }

    [Option("--sync-period <SECONDS>", Description = "SyncPeriod in seconds (or hh:mm:ss).")]
    public string? SyncPeriod { get; set; }

    [Option("--sync-timeout <SECONDS>", Description = "SyncTimeout in seconds (or hh:mm:ss).")]
    public string? SyncTimeout { get; set; }

    [Option("--sync-artifacts <BOOL>", Description = "SyncArtifacts: true or false.")]
    public string? SyncArtifacts { get; set; }

    [Option("--sync-artifacts-on-checkpoint <BOOL>", Description = "SyncArtifactsOnCheckpoint: true or false.")]
    public string? SyncArtifactsOnCheckpoint { get; set; }

    [Option("-x|--exclude <PATTERN>", CommandOptionType.MultipleValue, Description = "An exclude pattern to check (SYNC009). Repeatable.")]
    public string[] Exclude { get; set; } = [];

    protected override async Task<int> ExecuteAsync()
    {
        var config = ConfigFile is null ? new ConfigFacts() : await ConfigFacts.LoadAsync(ConfigFile, Context.TimeProvider, Context.Interrupted).ConfigureAwait(false);
        ApplyOptions(config);
        config.Exclude.AddRange(Exclude);

        var findings = SyncRules.Check(config.Facts);

        // On the command line a bad pattern is a typo to fix, so SYNC009 counts as an error here.
        findings.AddRange(config.Exclude
            .Select(SyncRules.CheckExcludePattern)
            .OfType<SyncFinding>()
            .Select(f => new SyncFinding(f.RuleId, SyncFindingSeverity.Error, f.Message)));

        int errors = findings.Count(f => f.Severity == SyncFindingSeverity.Error);
        Print(findings, errors);
        return errors > 0 ? ExitCodes.Usage : ExitCodes.Success;
    }

    private void ApplyOptions(ConfigFacts config)
    {
        var facts = config.Facts;
        if (UploadDir is not null)
        {
            facts.UploadDir = UploadDir;
        }

        if (Syncer is not null)
        {
            config.SetSyncer(Syncer, "--syncer");
        }

        if (SyncOnCheckpoint is not null)
        {
            _ = ConfigFacts.ParseBool(SyncOnCheckpoint, "--sync-on-checkpoint");
            facts.SyncOnCheckpointSet = true;
        }

        if (SyncArtifactsOnCheckpoint is not null)
        {
            _ = ConfigFacts.ParseBool(SyncArtifactsOnCheckpoint, "--sync-artifacts-on-checkpoint");
            facts.SyncArtifactsOnCheckpointSet = true;
        }

        if (SyncArtifacts is not null)
        {
            facts.SyncArtifacts = ConfigFacts.ParseBool(SyncArtifacts, "--sync-artifacts");
        }

        if (SyncPeriod is not null)
        {
            facts.SyncPeriod = ConfigFacts.ParseDuration(SyncPeriod, "--sync-period");
        }

        if (SyncTimeout is not null)
        {
            facts.SyncTimeout = ConfigFacts.ParseDuration(SyncTimeout, "--sync-timeout");
        }
    }

    private void Print(List<SyncFinding> findings, int errors)
    {
        int warnings = findings.Count - errors;
        if (Json)
        {
            foreach (var finding in findings)
            {
                JsonLines.Write(Console, w =>
                {
                    w.WriteString("event", "finding");
                    w.WriteString("ruleId", finding.RuleId);
                    w.WriteString("severity", finding.Severity == SyncFindingSeverity.Error ? "error" : "warning");
                    w.WriteString("message", finding.Message);
                });
            }

            JsonLines.Write(Console, w =>
            {
                w.WriteString("event", "summary");
                w.WriteNumber("errors", errors);
                w.WriteNumber("warnings", warnings);
            });
            return;
        }

        // Findings are this command's result, so they go to stdout even with --quiet when they are errors.
        foreach (var finding in findings.Where(f => !ErrorsOnly || f.Severity == SyncFindingSeverity.Error))
        {
            Console.Out.WriteLine(finding.ToString());
        }

        if (!ErrorsOnly)
        {
            Console.Out.WriteLine(findings.Count == 0
                ? "The configuration is valid: no findings."
                : $"{errors} errors, {warnings} warnings.");
        }
    }
}
