using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SyncTooling.Analyzers.Infrastructure;
using SyncTooling.Validation;

namespace SyncTooling.Analyzers;

/// <summary>
/// Base of the rules about one storage location (SYNC001, SYNC007, SYNC008): a constant UploadDir, or a
/// constant <c>remoteDir</c> argument of a Syncer operation. Each rule reports its own findings of
/// <c>SyncRules.CheckLocation</c>.
/// </summary>
public abstract class LocationRuleAnalyzer : SyncConfigRuleAnalyzer
{
    private readonly DiagnosticDescriptor _rule;

    private protected LocationRuleAnalyzer(DiagnosticDescriptor rule)
    {
        _rule = rule;
    }

    /// <inheritdoc />
    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(_rule);

    internal sealed override void Analyze(OperationAnalysisContext context, SyncConfigInitializer initializer)
    {
        var uploadDir = initializer.Assignment("UploadDir");
        if (uploadDir is not null)
        {
            Check(context, uploadDir.Value, "UploadDir");
        }
    }

    internal sealed override void RegisterActions(CompilationStartAnalysisContext context, SyncToolingTypes types)
    {
        base.RegisterActions(context, types);
        if (types.Syncer is null)
        {
            return;
        }

        context.RegisterOperationAction(
            c =>
            {
                var invocation = (IInvocationOperation)c.Operation;
                if (!SyncerCalls.IsSyncOperation(invocation, types))
                {
                    return;
                }

                // A CommandSyncer hands its remote to rsync, rclone or aws-cli as written (rsync's host:/path): it is no
                // storage location, so SYNC001 does not apply; credentials in it (SYNC007) still leak, so that rule does.
                bool toolRemote = _rule.Id == SyncRuleIds.UnsupportedLocation
                    && (types.IsCommandSyncer(invocation.Instance?.Type) || types.IsCommandSyncer(invocation.TargetMethod.ContainingType));
                if (toolRemote)
                {
                    return;
                }

                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Parameter?.Name == "remoteDir" && argument.ArgumentKind == ArgumentKind.Explicit)
                    {
                        Check(c, argument.Value, "remoteDir");
                    }
                }
            },
            OperationKind.Invocation);
    }

    /// <summary>Extra data for a code fix; none by default.</summary>
    private protected virtual ImmutableDictionary<string, string?>? FixProperties(IOperation value, string location) => null;

    private void Check(OperationAnalysisContext context, IOperation value, string what)
    {
        if (!ConstantValues.TryGetString(value, out string? location) || location is null)
        {
            return;
        }

        foreach (var finding in SyncRules.CheckLocation(location, what, requireAbsolute: true))
        {
            if (finding.RuleId == _rule.Id)
            {
                context.ReportDiagnostic(Diagnostic.Create(_rule, value.Syntax.GetLocation(), FixProperties(value, location), finding.Message));
            }
        }
    }
}
