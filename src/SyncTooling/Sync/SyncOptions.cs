namespace SyncTooling.Sync;

/// <summary>How one sync runs.</summary>
public sealed record SyncOptions
{
    /// <summary>
    /// The default number of parallel transfers: 16. Over a 20 ms round trip, 2,000 small uploads took 7.6 s with 8 and
    /// 4.4 s with 16 (rclone with 32 transfers 4.5 s); on loopback both are the same within the noise, and whole-file
    /// buffers share one byte budget per storage, so memory does not grow with it (bench/README.md).
    /// </summary>
    public const int DefaultJobs = 16;

    /// <summary>The default number of retries.</summary>
    public const int DefaultRetries = 3;

    /// <summary>Exclude patterns (fnmatch, relative POSIX paths; see <see cref="ExcludeMatcher"/>). Applied on both sides.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>
    /// Include and exclude filters, applied after <see cref="Exclude"/> in order; the last one matching a path decides,
    /// as in aws-cli (<c>[SyncFilter.Exclude("*"), SyncFilter.Include("*.csv")]</c> syncs only CSV files). Applied on both sides.
    /// </summary>
    public IReadOnlyList<SyncFilter> Filters { get; init; } = [];

    /// <summary>Delete destination files that the source does not have (off by default, as in Ray). Excluded files are never deleted.</summary>
    public bool Delete { get; init; }

    /// <summary>
    /// With <see cref="Delete"/>, allow a sync from a source that lists no files at all, which deletes every destination
    /// file. Off by default: an empty source is almost always a mount that is not there, so such a sync is refused with
    /// <see cref="SyncRefusedException"/> (<see cref="SyncGuard.EmptySource"/>) before anything changes.
    /// </summary>
    public bool AllowEmptySource { get; init; }

    /// <summary>Plan only: list what would be transferred and deleted, change nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Compare content hashes (MD5) of same-size files instead of modification times.</summary>
    public bool Checksum { get; init; }

    /// <summary>A file is changed only when its size differs; times are not compared (aws-cli's and rclone's <c>--size-only</c>).</summary>
    public bool SizeOnly { get; init; }

    /// <summary>
    /// A same-size file is changed unless the two modification times are equal (within the coarser side's precision),
    /// whichever side is newer (aws-cli's <c>--exact-timestamps</c>). By default only a newer source counts as changed.
    /// </summary>
    public bool ExactTimestamps { get; init; }

    /// <summary>Parallel transfers, 1 to 256.</summary>
    public int Jobs { get; init; } = DefaultJobs;

    /// <summary>
    /// Retries after a transient failure, 0 to 100; 0 means one attempt. This is the whole bound, not one layer's
    /// share: it goes to the backends, which retry each request (a listing page, a PUT, a part) at most this often,
    /// and the engine retries a file again only for failures no backend retried (a download cut off mid-body, a local
    /// I/O error). So with 0 every request is sent once.
    /// </summary>
    public int Retries { get; init; } = DefaultRetries;

    /// <summary>Refuse a sync that would delete more than this many files (null: no limit).</summary>
    public int? MaxDelete { get; init; }

    /// <summary>
    /// Where sync down from an object store records what it last saw of each object (so an unchanged tree costs
    /// listings only). Null: <c>SYNCTOOLING_STATE_DIR</c>, else <c>$XDG_STATE_HOME/synctooling</c>, else
    /// <c>~/.local/state/synctooling</c>. Never inside the synced folder.
    /// </summary>
    public string? StateDirectory { get; init; }

    /// <summary>
    /// How many listing entries a sync holds in memory to sort a listing that is not in key order, or to keep the
    /// keys it will delete; beyond that they are spilled to a private temp folder. Internal: tests make it tiny.
    /// </summary>
    internal int SortMemoryEntries { get; init; } = 100_000;

    /// <summary>Where the private spill folder is made; null: the system temp folder. Internal: tests watch it.</summary>
    internal string? SpillParent { get; init; }

    /// <summary>
    /// Limits the sync to one shard of the keys, on both sides (see <see cref="SyncShard"/>): N syncs with shards 1/N to
    /// N/N, run anywhere at once, together do what one sync does, each key in exactly one of them. Null: every key.
    /// </summary>
    public SyncShard? Shard { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for values outside the documented ranges.</summary>
    public void Validate()
    {
        if (Jobs is < 1 or > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(Jobs), Jobs, $"Jobs is {Jobs}; it must be between 1 and 256.");
        }

        if (Retries is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(Retries), Retries, $"Retries is {Retries}; it must be between 0 and 100.");
        }

        if (MaxDelete is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDelete), MaxDelete, $"MaxDelete is {MaxDelete}; it must be 0 or more.");
        }

        ArgumentNullException.ThrowIfNull(Exclude);
        ArgumentNullException.ThrowIfNull(Filters);
        if ((Checksum ? 1 : 0) + (SizeOnly ? 1 : 0) + (ExactTimestamps ? 1 : 0) > 1)
        {
            throw new ArgumentException(
                $"Checksum, SizeOnly and ExactTimestamps each choose how files are compared; set at most one (Checksum is {Checksum}, SizeOnly is {SizeOnly}, ExactTimestamps is {ExactTimestamps}).",
                nameof(SizeOnly));
        }
    }
}
