using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using SyncTooling.Validation;

namespace SyncTooling.Analyzers.CodeFixes;

/// <summary>SYNC002: removes the SyncOnCheckpoint assignment that cloud storage ignores.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveSyncOnCheckpointCodeFix))]
[Shared]
public sealed class RemoveSyncOnCheckpointCodeFix : RemoveAssignmentCodeFix
{
    /// <summary>Creates the fix.</summary>
    public RemoveSyncOnCheckpointCodeFix()
        : base(SyncRuleIds.SyncOnCheckpointWithCloud, "Remove the SyncOnCheckpoint assignment")
    {
    }
}
