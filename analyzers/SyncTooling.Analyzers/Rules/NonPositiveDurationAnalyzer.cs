using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SyncTooling.Analyzers.Infrastructure;
using SyncTooling.Validation;

namespace SyncTooling.Analyzers;

/// <summary>SYNC005: SyncPeriod or SyncTimeout is zero or negative.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NonPositiveDurationAnalyzer : SyncConfigRuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        SyncRuleIds.NonPositiveDuration,
        title: "SyncPeriod or SyncTimeout is not positive",
        messageFormat: "{0}",
        RuleCategories.Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A zero or negative period or timeout makes the syncer throw when it is created.",
        helpLinkUri: RuleHelp.UriFor(SyncRuleIds.NonPositiveDuration));

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    internal override void Analyze(OperationAnalysisContext context, SyncConfigInitializer initializer)
    {
        // One property at a time, so each finding lands on its own value.
        var period = initializer.Assignment("SyncPeriod");
        if (period is not null)
        {
            Report(context, period.Value, new SyncConfigFacts { SyncPeriod = initializer.Facts.SyncPeriod });
        }

        var timeout = initializer.Assignment("SyncTimeout");
        if (timeout is not null)
        {
            Report(context, timeout.Value, new SyncConfigFacts { SyncTimeout = initializer.Facts.SyncTimeout });
        }
    }

    private static void Report(OperationAnalysisContext context, IOperation value, SyncConfigFacts facts)
    {
        foreach (var finding in SyncRules.Check(facts))
        {
            if (finding.RuleId == Rule.Id)
            {
                context.ReportDiagnostic(Diagnostic.Create(Rule, value.Syntax.GetLocation(), finding.Message));
            }
        }
    }
}
