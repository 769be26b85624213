using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SyncTooling.Analyzers.Infrastructure;

namespace SyncTooling.Analyzers;

/// <summary>
/// Base of the rules about one SyncConfig: finds every <c>new SyncConfig { ... }</c> and <c>with</c>
/// expression once SyncTooling is known to be referenced, and hands each to the rule.
/// </summary>
public abstract class SyncConfigRuleAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public sealed override void Initialize(AnalysisContext context)
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

            RegisterActions(start, types);
        });
    }

    internal abstract void Analyze(OperationAnalysisContext context, SyncConfigInitializer initializer);

    internal virtual void RegisterActions(CompilationStartAnalysisContext context, SyncToolingTypes types) =>
        context.RegisterOperationAction(
            c =>
            {
                var initializer = SyncConfigInitializer.TryRead(c.Operation, types);
                if (initializer is not null)
                {
                    Analyze(c, initializer);
                }
            },
            OperationKind.ObjectCreation,
            OperationKind.With);
}
