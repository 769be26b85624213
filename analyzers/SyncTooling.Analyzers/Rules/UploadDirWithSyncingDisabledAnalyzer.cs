using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SyncTooling.Analyzers.Infrastructure;
using SyncTooling.Validation;

namespace SyncTooling.Analyzers;

/// <summary>SYNC003: UploadDir is set while Syncer = null disables syncing.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UploadDirWithSyncingDisabledAnalyzer : SyncConfigRuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        SyncRuleIds.UploadDirWithSyncingDisabled,
        title: "UploadDir is set while syncing is disabled",
        messageFormat: "{0}",
        RuleCategories.Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "With Syncer = null nothing is ever uploaded to UploadDir.",
        helpLinkUri: RuleHelp.UriFor(SyncRuleIds.UploadDirWithSyncingDisabled));

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    internal override void Analyze(OperationAnalysisContext context, SyncConfigInitializer initializer)
    {
        // Reported on the assignment so the code fix can find it.
        var assignment = initializer.Assignment("Syncer");
        if (assignment is not null)
        {
            initializer.Report(context, Rule, assignment);
        }
    }
}
