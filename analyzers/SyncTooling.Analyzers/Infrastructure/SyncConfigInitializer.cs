using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SyncTooling.Validation;

namespace SyncTooling.Analyzers.Infrastructure;

/// <summary>
/// One <c>new SyncConfig { ... }</c> or <c>config with { ... }</c>: its assignments and what they tell the
/// shared rules. In a <c>with</c> expression an unassigned property comes from the original and is unknown.
/// </summary>
internal sealed class SyncConfigInitializer
{
    private readonly Dictionary<string, ISimpleAssignmentOperation> _assignments;

    private SyncConfigInitializer(Dictionary<string, ISimpleAssignmentOperation> assignments, SyncConfigFacts facts)
    {
        _assignments = assignments;
        Facts = facts;
    }

    public SyncConfigFacts Facts { get; }

    /// <summary>The assignment of a property, or null when the initializer does not set it.</summary>
    public ISimpleAssignmentOperation? Assignment(string property) =>
        _assignments.TryGetValue(property, out var assignment) ? assignment : null;

    /// <summary>Reports at <paramref name="location"/> what the shared rules find for <paramref name="rule"/>.</summary>
    public void Report(OperationAnalysisContext context, DiagnosticDescriptor rule, IOperation location)
    {
        foreach (var finding in SyncRules.Check(Facts))
        {
            if (finding.RuleId == rule.Id)
            {
                context.ReportDiagnostic(Diagnostic.Create(rule, location.Syntax.GetLocation(), finding.Message));
            }
        }
    }

    public static SyncConfigInitializer? TryRead(IOperation operation, SyncToolingTypes types)
    {
        IObjectOrCollectionInitializerOperation? initializer;
        bool isWith;
        switch (operation)
        {
            case IObjectCreationOperation creation when SymbolEqualityComparer.Default.Equals(creation.Type, types.SyncConfig):
                initializer = creation.Initializer;
                isWith = false;
                break;
            case IWithOperation with when SymbolEqualityComparer.Default.Equals(with.Type, types.SyncConfig):
                initializer = with.Initializer;
                isWith = true;
                break;
            default:
                return null;
        }

        var assignments = new Dictionary<string, ISimpleAssignmentOperation>();
        if (initializer is not null)
        {
            foreach (var member in initializer.Initializers)
            {
                if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment)
                {
                    assignments[property.Property.Name] = assignment;
                }
            }
        }

        return new SyncConfigInitializer(assignments, ReadFacts(assignments, isWith, types));
    }

    private static SyncConfigFacts ReadFacts(Dictionary<string, ISimpleAssignmentOperation> assignments, bool isWith, SyncToolingTypes types)
    {
        var facts = new SyncConfigFacts
        {
            // A new SyncConfig starts from the documented defaults; a with expression from an unknown original.
            UploadDirKnown = !isWith,
            Syncer = isWith ? SyncerChoice.Unknown : SyncerChoice.Auto,
            SyncArtifacts = isWith ? null : false,
        };

        if (assignments.TryGetValue("UploadDir", out var uploadDir))
        {
            facts.UploadDirKnown = ConstantValues.TryGetString(uploadDir.Value, out string? value);
            facts.UploadDir = value;
        }

        if (assignments.TryGetValue("Syncer", out var syncer))
        {
            facts.Syncer = ReadSyncer(syncer.Value, types);
        }

        if (assignments.TryGetValue("SyncArtifacts", out var artifacts))
        {
            facts.SyncArtifacts = ConstantValues.TryGetBoolean(artifacts.Value, out bool value) ? value : null;
        }

        facts.SyncOnCheckpointSet = assignments.ContainsKey("SyncOnCheckpoint");
        facts.SyncArtifactsOnCheckpointSet = assignments.ContainsKey("SyncArtifactsOnCheckpoint");
        if (assignments.TryGetValue("SyncPeriod", out var period))
        {
            facts.SyncPeriod = ConstantValues.TryGetTimeSpan(period.Value, types.TimeSpan);
        }

        if (assignments.TryGetValue("SyncTimeout", out var timeout))
        {
            facts.SyncTimeout = ConstantValues.TryGetTimeSpan(timeout.Value, types.TimeSpan);
        }

        return facts;
    }

    private static SyncerChoice ReadSyncer(IOperation value, SyncToolingTypes types)
    {
        if (value.ConstantValue is { HasValue: true, Value: null })
        {
            return SyncerChoice.Disabled;
        }

        while (value is IConversionOperation { IsImplicit: true } conversion)
        {
            value = conversion.Operand;
        }

        return value switch
        {
            IPropertyReferenceOperation { Property: { IsStatic: true, Name: "Auto" } auto }
                when SymbolEqualityComparer.Default.Equals(auto.ContainingType, types.Syncer) => SyncerChoice.Auto,

            // Only a fresh instance is surely custom: a variable could hold Syncer.Auto or null.
            IObjectCreationOperation => SyncerChoice.Custom,
            _ => SyncerChoice.Unknown,
        };
    }
}
