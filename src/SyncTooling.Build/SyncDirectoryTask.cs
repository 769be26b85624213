using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Task = System.Threading.Tasks.Task;
using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Validation;

namespace SyncTooling.Build;

/// <summary>The parameters and the run shared by <see cref="SyncUp"/> and <see cref="SyncDown"/>.</summary>
public abstract class SyncDirectoryTask : SyncTaskBase
{
    private int? _maxDelete;

    /// <summary>The local directory; a relative path resolves against the project folder.</summary>
    [Required]
    public string LocalDir { get; set; } = string.Empty;

    /// <summary>Exclude patterns (fnmatch on relative POSIX paths, e.g. <c>*.tmp;logs/</c>): a semicolon list or items.</summary>
    public ITaskItem[] Exclude { get; set; } = [];

    /// <summary>
    /// Include patterns, applied after every <see cref="Exclude"/> pattern: a path that matches one is synced even when
    /// an exclude matched it (<c>Exclude="*" Include="*.csv"</c> syncs only CSV files). A semicolon list or items.
    /// </summary>
    public ITaskItem[] Include { get; set; } = [];

    /// <summary>Compare sizes only: a same-size file is never transferred again.</summary>
    public bool SizeOnly { get; set; }

    /// <summary>Transfer a same-size file unless both modification times are equal (by default only a newer source is).</summary>
    public bool ExactTimestamps { get; set; }

    /// <summary>Delete destination files that the source does not have. Off by default; excluded files are never deleted.</summary>
    public bool Delete { get; set; }

    /// <summary>With <see cref="Delete"/>, allow a source with no files (which deletes every destination file); refused by default, as an empty source is usually a missing mount.</summary>
    public bool AllowEmptySource { get; set; }

    /// <summary>Compare MD5s of same-size files instead of modification times.</summary>
    public bool Checksum { get; set; }

    /// <summary>Parallel transfers, 1 to 256.</summary>
    public int Jobs { get; set; } = SyncOptions.DefaultJobs;

    /// <summary>Sync only shard K of N (<c>K/N</c>, 1-based) of the keys; empty means every key. See <see cref="SyncShard"/>.</summary>
    public string Shard { get; set; } = string.Empty;

    /// <summary>Refuse a sync that would delete more than this many files; unset means no limit.</summary>
    public int MaxDelete
    {
        get => _maxDelete ?? int.MaxValue;
        set => _maxDelete = value;
    }

    /// <summary>The transferred files (in a dry run: that would be) as local paths, with the relative key in <c>Key</c> metadata.</summary>
    [Output]
    public ITaskItem[] TransferredFiles { get; private set; } = [];

    /// <summary>The deleted keys (relative POSIX paths) on the destination side.</summary>
    [Output]
    public ITaskItem[] DeletedFiles { get; private set; } = [];

    /// <summary>How many files were (or would be) transferred.</summary>
    [Output]
    public int TransferredCount { get; private set; }

    /// <summary>How many destination files were (or would be) deleted.</summary>
    [Output]
    public int DeletedCount { get; private set; }

    /// <summary>Bytes transferred.</summary>
    [Output]
    public long BytesTransferred { get; private set; }

    /// <summary>
    /// Where a relative LocalDir starts. MSBuild runs a task with the project folder as the current directory;
    /// BuildEngine.ProjectFileOfTaskNode would be wrong, since it names the file declaring the task (our .targets).
    /// </summary>
    internal Func<string> CurrentDirectory { get; set; } = Directory.GetCurrentDirectory;

    /// <summary>True when the sync goes from LocalDir to RemoteDir.</summary>
    private protected abstract bool Upload { get; }

    /// <inheritdoc />
    protected override bool Validate()
    {
        base.Validate();
        string local = ResolveLocalDir();
        if (!StorageUri.TryParse(local, out var localUri, out _) || !localUri!.IsLocal)
        {
            Log.LogErrorWithCodeFromResources("LocalDirNotLocal", LocalDir);
        }
        else if (Upload && !Directory.Exists(localUri.Path))
        {
            Log.LogErrorWithCodeFromResources("LocalDirNotFound", localUri.Path);
        }

        LogFindings(Exclude.Select(p => SyncRules.CheckFilterPattern(p.ItemSpec, "Exclude pattern")).OfType<SyncFinding>());
        LogFindings(Include.Select(p => SyncRules.CheckFilterPattern(p.ItemSpec, "Include pattern")).OfType<SyncFinding>());
        if ((Checksum ? 1 : 0) + (SizeOnly ? 1 : 0) + (ExactTimestamps ? 1 : 0) > 1)
        {
            Log.LogErrorWithCodeFromResources("TwoComparisons");
        }

        CheckRange(nameof(Jobs), Jobs, 1, 256);
        if (Shard.Length > 0 && !SyncShard.TryParse(Shard, out _))
        {
            Log.LogErrorWithCodeFromResources("BadShard", Shard, SyncShard.Allowed);
        }

        if (_maxDelete is int max)
        {
            CheckRange(nameof(MaxDelete), max, 0, int.MaxValue);
        }

        return !Log.HasLoggedErrors;
    }

    /// <inheritdoc />
    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        var local = StorageUri.Parse(ResolveLocalDir());
        var remote = StorageUri.Parse(RemoteDir);
        var options = new SyncOptions
        {
            Shard = Shard.Length > 0 ? SyncShard.Parse(Shard) : null,
            Exclude = Exclude.Select(e => e.ItemSpec).ToList(),
            Filters = Include.Select(i => SyncFilter.Include(i.ItemSpec)).ToList(),
            Delete = Delete,
            AllowEmptySource = AllowEmptySource,
            DryRun = DryRun,
            Checksum = Checksum,
            SizeOnly = SizeOnly,
            ExactTimestamps = ExactTimestamps,
            Jobs = Jobs,
            Retries = Retries,
            MaxDelete = _maxDelete,
        };

        var result = await CreateEngine().SyncAsync(Upload ? local : remote, Upload ? remote : local, options, null, cancellationToken).ConfigureAwait(false);
        Report(local, remote, result);
    }

    private void Report(StorageUri local, StorageUri remote, SyncResult result)
    {
        TransferredFiles = result.Transferred.Select(key => ToItem(local, key)).ToArray();
        DeletedFiles = result.Deleted.Select(key => (ITaskItem)new TaskItem(key)).ToArray();
        TransferredCount = result.Transferred.Count;
        DeletedCount = result.Deleted.Count;
        BytesTransferred = result.BytesTransferred;

        var (from, to) = Upload ? (local, remote) : (remote, local);
        if (result.DryRun)
        {
            // High: the one line per sync is shown at the default (minimal) verbosity, so no build uploads silently.
            Log.LogMessageFromResources(MessageImportance.High, "DryRunSummary", GetType().Name, from, to, TransferredCount, result.Plan.BytesToTransfer, DeletedCount, result.Plan.UnchangedCount);
        }
        else
        {
            Log.LogMessageFromResources(MessageImportance.High, "Summary", GetType().Name, from, to, TransferredCount, BytesTransferred, DeletedCount, result.Plan.UnchangedCount, result.Failures.Count, result.Elapsed.TotalSeconds);
        }

        var sizes = result.Plan.ToTransfer.ToDictionary(e => e.Key, e => e.Size, StringComparer.Ordinal);
        foreach (string key in result.Transferred)
        {
            Log.LogMessageFromResources(MessageImportance.Low, "FileTransferred", key, sizes.GetValueOrDefault(key));
        }

        foreach (string key in result.Deleted)
        {
            Log.LogMessageFromResources(MessageImportance.Low, result.DryRun ? "FileWouldDelete" : "FileDeleted", key);
        }

        foreach (var refused in result.Refused)
        {
            Log.LogWarningWithCodeFromResources("KeyRefused", refused.Key, HideSecrets(refused.Message));
        }

        foreach (var skipped in result.Skipped)
        {
            Log.LogWarningWithCodeFromResources("EntrySkipped", skipped.Key, skipped.Message);
        }

        foreach (var failure in result.Failures)
        {
            Log.LogErrorWithCodeFromResources("FileFailed", failure.Key, HideSecrets(failure.Message));
        }
    }

    private static TaskItem ToItem(StorageUri local, string key)
    {
        var item = new TaskItem(Path.Combine(local.Path, key.Replace('/', Path.DirectorySeparatorChar)));
        item.SetMetadata("Key", key);
        return item;
    }

    private string ResolveLocalDir() =>
        LocalDir.Contains("://", StringComparison.Ordinal) ? LocalDir : Path.Combine(CurrentDirectory(), LocalDir);

}
