using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SyncTooling.Analyzers.Infrastructure;
using SyncTooling.Validation;

namespace SyncTooling.Analyzers;

/// <summary>
/// SYNC009: a malformed exclude pattern, or one that can never match, in the <c>exclude</c> argument of a
/// Syncer operation or in <c>SyncOptions.Exclude</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BadExcludePatternAnalyzer : DiagnosticAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        SyncRuleIds.BadExcludePattern,
        title: "Exclude pattern is malformed or never matches",
        messageFormat: "{0}",
        RuleCategories.Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Exclude patterns are fnmatch patterns matched against POSIX paths relative to the sync root.",
        helpLinkUri: RuleHelp.UriFor(SyncRuleIds.BadExcludePattern));

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var types = SyncToolingTypes.TryCreate(start.Compilation);
            if (types is null)
            {
                return;
            }

            if (types.Syncer is not null)
            {
                start.RegisterOperationAction(c => AnalyzeInvocation(c, types), OperationKind.Invocation);
            }

            if (types.SyncOptions is not null)
            {
                start.RegisterOperationAction(c => AnalyzeOptions(c, types.SyncOptions), OperationKind.ObjectCreation, OperationKind.With);
            }
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, SyncToolingTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!SyncerCalls.IsSyncOperation(invocation, types))
        {
            return;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == "exclude" && argument.ArgumentKind == ArgumentKind.Explicit)
            {
                CheckPatterns(context, argument.Value);
            }
        }
    }

    private static void AnalyzeOptions(OperationAnalysisContext context, INamedTypeSymbol syncOptions)
    {
        if (!SymbolEqualityComparer.Default.Equals(context.Operation.Type, syncOptions))
        {
            return;
        }

        var initializer = context.Operation switch
        {
            IObjectCreationOperation creation => creation.Initializer,
            IWithOperation with => with.Initializer,
            _ => null,
        };
        if (initializer is null)
        {
            return;
        }

        foreach (var member in initializer.Initializers)
        {
            if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Exclude" } } assignment)
            {
                CheckPatterns(context, assignment.Value);
            }
        }
    }

    private static void CheckPatterns(OperationAnalysisContext context, IOperation collection)
    {
        foreach (var element in ConstantElements.Of(collection))
        {
            if (ConstantValues.TryGetString(element, out string? pattern) && pattern is not null &&
                SyncRules.CheckExcludePattern(pattern) is { } finding)
            {
                context.ReportDiagnostic(Diagnostic.Create(Rule, element.Syntax.GetLocation(), finding.Message));
            }
        }
    }
}
