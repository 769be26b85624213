using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SyncTooling.Analyzers.Infrastructure;
using SyncTooling.Validation;

namespace SyncTooling.Analyzers;

/// <summary>SYNC006: SyncArtifactsOnCheckpoint is set while SyncArtifacts is false.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ArtifactsOnCheckpointWithoutArtifactsAnalyzer : SyncConfigRuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        SyncRuleIds.ArtifactsOnCheckpointWithoutArtifacts,
        title: "SyncArtifactsOnCheckpoint has no effect without SyncArtifacts",
        messageFormat: "{0}",
        RuleCategories.Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Artifacts are only synced with checkpoints when SyncArtifacts is true.",
        helpLinkUri: RuleHelp.UriFor(SyncRuleIds.ArtifactsOnCheckpointWithoutArtifacts));

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    internal override void Analyze(OperationAnalysisContext context, SyncConfigInitializer initializer)
    {
        // Reported on the assignment so the code fix can find it.
        var assignment = initializer.Assignment("SyncArtifactsOnCheckpoint");
        if (assignment is not null)
        {
            initializer.Report(context, Rule, assignment);
        }
    }
}
