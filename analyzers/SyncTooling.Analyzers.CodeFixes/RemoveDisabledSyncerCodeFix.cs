using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using SyncTooling.Validation;

namespace SyncTooling.Analyzers.CodeFixes;

/// <summary>SYNC003: removes <c>Syncer = null</c> so the UploadDir is synced.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveDisabledSyncerCodeFix))]
[Shared]
public sealed class RemoveDisabledSyncerCodeFix : RemoveAssignmentCodeFix
{
    /// <summary>Creates the fix.</summary>
    public RemoveDisabledSyncerCodeFix()
        : base(SyncRuleIds.UploadDirWithSyncingDisabled, "Remove 'Syncer = null'")
    {
    }
}
