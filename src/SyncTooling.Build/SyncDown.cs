namespace SyncTooling.Build;

/// <summary>Makes <see cref="SyncDirectoryTask.LocalDir"/> match <see cref="SyncTaskBase.RemoteDir"/> (created when missing).</summary>
public sealed class SyncDown : SyncDirectoryTask
{
    private protected override bool Upload => false;
}
