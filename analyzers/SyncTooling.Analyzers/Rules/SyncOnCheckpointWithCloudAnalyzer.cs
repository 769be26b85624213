using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SyncTooling.Analyzers.Infrastructure;
using SyncTooling.Validation;

namespace SyncTooling.Analyzers;

/// <summary>SYNC002: SyncOnCheckpoint is set but cloud storage always syncs checkpoints.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SyncOnCheckpointWithCloudAnalyzer : SyncConfigRuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        SyncRuleIds.SyncOnCheckpointWithCloud,
        title: "SyncOnCheckpoint has no effect with cloud storage",
        messageFormat: "{0}",
        RuleCategories.Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Checkpoints written to cloud storage (s3://, gs://, az://, abfs[s]://) are always uploaded, so the setting only misleads readers.",
        helpLinkUri: RuleHelp.UriFor(SyncRuleIds.SyncOnCheckpointWithCloud));

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    internal override void Analyze(OperationAnalysisContext context, SyncConfigInitializer initializer)
    {
        // Reported on the assignment so the code fix can find it.
        var assignment = initializer.Assignment("SyncOnCheckpoint");
        if (assignment is not null)
        {
            initializer.Report(context, Rule, assignment);
        }
    }
}
