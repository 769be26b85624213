using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SyncTooling.Analyzers.Infrastructure;
using SyncTooling.Validation;

namespace SyncTooling.Analyzers;

/// <summary>SYNC004: a custom Syncer is set without an UploadDir.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CustomSyncerWithoutUploadDirAnalyzer : SyncConfigRuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        SyncRuleIds.CustomSyncerWithoutUploadDir,
        title: "Custom Syncer without UploadDir",
        messageFormat: "{0}",
        RuleCategories.Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A syncer is only called with a location below UploadDir; without one it never runs.",
        helpLinkUri: RuleHelp.UriFor(SyncRuleIds.CustomSyncerWithoutUploadDir));

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    internal override void Analyze(OperationAnalysisContext context, SyncConfigInitializer initializer)
    {
        var assignment = initializer.Assignment("Syncer");
        if (assignment is not null)
        {
            initializer.Report(context, Rule, assignment);
        }
    }
}
