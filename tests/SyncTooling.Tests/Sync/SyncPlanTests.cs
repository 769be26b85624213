using SyncTooling.Storage;
using SyncTooling.Sync;

namespace SyncTooling.Tests.Sync;

/// <summary>The down rule for files whose modification time was restored from object metadata.</summary>
public sealed class SyncPlanTests
{
    private static readonly DateTimeOffset Uploaded = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Restored = new(2023, 11, 14, 22, 13, 20, TimeSpan.Zero);

    private static Dictionary<string, StorageEntry> One(StorageEntry entry) => new(StringComparer.Ordinal) { [entry.Key] = entry };

    [Fact]
    public void ARestoredKey_OfTheSameSize_IsUnchanged_ThoughTheObjectIsNewer()
    {
        var plan = SyncPlan.Create(One(new StorageEntry("a", 3, Uploaded)), One(new StorageEntry("a", 3, Restored)), checksum: false, TimeSpan.Zero, new HashSet<string> { "a" });

        Assert.Equal(["a"], plan.Unchanged.Select(e => e.Key));
    }

    [Fact]
    public void WithoutTheRestoredMark_TheNewerObjectIsChanged()
    {
        var plan = SyncPlan.Create(One(new StorageEntry("a", 3, Uploaded)), One(new StorageEntry("a", 3, Restored)), checksum: false, TimeSpan.Zero, new HashSet<string> { "b" });

        Assert.Equal(["a"], plan.Changed.Select(e => e.Key));
    }

    [Fact]
    public void ARestoredKey_OfAnotherSize_IsChanged()
    {
        var plan = SyncPlan.Create(One(new StorageEntry("a", 4, Uploaded)), One(new StorageEntry("a", 3, Restored)), checksum: false, TimeSpan.Zero, new HashSet<string> { "a" });

        Assert.Equal(["a"], plan.Changed.Select(e => e.Key));
    }
}
