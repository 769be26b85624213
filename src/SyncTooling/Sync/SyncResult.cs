namespace SyncTooling.Sync;

/// <summary>One file that could not be transferred or deleted.</summary>
/// <param name="Key">The relative key.</param>
/// <param name="Message">What went wrong, one line.</param>
public sealed record SyncFailure(string Key, string Message);

/// <summary>What a sync did.</summary>
public sealed record SyncResult
{
    /// <summary>The plan the sync followed; its unchanged and extraneous lists may be samples (see <see cref="SyncPlan.UnchangedCount"/>).</summary>
    public required SyncPlan Plan { get; init; }

    /// <summary>True when nothing was changed because of <see cref="SyncOptions.DryRun"/>.</summary>
    public bool DryRun { get; init; }

    /// <summary>Keys transferred (in a dry run: that would be).</summary>
    public IReadOnlyList<string> Transferred { get; init; } = [];

    /// <summary>Bytes transferred.</summary>
    public long BytesTransferred { get; init; }

    /// <summary>Keys deleted from the destination (in a dry run: that would be).</summary>
    public IReadOnlyList<string> Deleted { get; init; } = [];

    /// <summary>Files that failed; empty on success.</summary>
    public IReadOnlyList<SyncFailure> Failures { get; init; } = [];

    /// <summary>
    /// Keys skipped because they cannot be a safe relative path (<c>../x</c>, <c>/abs</c>, <c>a//b</c>, a backslash, a
    /// segment over 255 bytes, a file that is also a folder of other keys), on either side, in key order. They
    /// never make a sync fail: they are reported, never written, and never deleted.
    /// </summary>
    public IReadOnlyList<SyncFailure> Refused { get; init; } = [];

    /// <summary>
    /// Local entries skipped because they are not regular files or folders: symbolic links (never followed) and
    /// FIFOs, sockets and devices (never opened), on either side, in key order. Like <see cref="Refused"/> they
    /// never make a sync fail: they are reported, never read or written, and never deleted; nor is the destination's copy at a key the source skipped.
    /// </summary>
    public IReadOnlyList<SyncFailure> Skipped { get; init; } = [];

    /// <summary>
    /// Extraneous destination files kept because a failure made deleting unsafe, because Delete was off, or because a
    /// skipped source entry (a link, FIFO, socket or device; for a linked folder, everything below it) still holds their key.
    /// </summary>
    public int ExtraneousKept { get; init; }

    /// <summary>Wall-clock time of the sync.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>True when every file made it.</summary>
    public bool Succeeded => Failures.Count == 0;
}
