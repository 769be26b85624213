namespace SyncTooling.Sync.Planning;

/// <summary>
/// A private temp folder (created on first use, readable by the user only) for the runs a sync spills beyond its
/// memory cap, never inside a synced tree; disposing it deletes it with everything in it, on success, failure or cancel.
/// </summary>
internal sealed class SpillFolder : IDisposable
{
    private DirectoryInfo? _folder;
    private int _files;

    /// <summary>The folder, or null while nothing was spilled.</summary>
    public string? Path => _folder?.FullName;

    /// <summary>A new file path in the folder; the caller creates the file.</summary>
    public string NewFile()
    {
        // CreateTempSubdirectory makes the folder with mode 700 on Unix: key names can be private.
        _folder ??= Directory.CreateTempSubdirectory("synctooling-spill-");
        return System.IO.Path.Combine(_folder.FullName, $"run-{Interlocked.Increment(ref _files):D6}.bin");
    }

    public void Dispose()
    {
        if (_folder is null)
        {
            return;
        }

        try
        {
            _folder.Delete(recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file still open elsewhere; the folder is in the temp folder, which the system cleans.
        }

        _folder = null;
    }
}
