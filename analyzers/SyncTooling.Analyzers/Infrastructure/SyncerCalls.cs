using Microsoft.CodeAnalysis.Operations;

namespace SyncTooling.Analyzers.Infrastructure;

/// <summary>Recognises the Syncer operations whose arguments the rules check.</summary>
internal static class SyncerCalls
{
    public static bool IsSyncOperation(IInvocationOperation invocation, SyncToolingTypes types) =>
        invocation.TargetMethod.Name is "SyncUp" or "SyncDown" or "Delete"
            or "SyncUpAsync" or "SyncDownAsync" or "DeleteAsync"
            or "SyncUpIfNeeded" or "SyncDownIfNeeded"
        && types.IsSyncer(invocation.TargetMethod.ContainingType);
}
