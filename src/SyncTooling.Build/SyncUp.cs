namespace SyncTooling.Build;

/// <summary>Makes <see cref="SyncTaskBase.RemoteDir"/> match <see cref="SyncDirectoryTask.LocalDir"/>.</summary>
public sealed class SyncUp : SyncDirectoryTask
{
    private protected override bool Upload => true;
}
