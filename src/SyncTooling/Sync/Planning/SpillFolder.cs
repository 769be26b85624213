namespace SyncTooling.Sync.Planning;

/// <summary>
/// A private temp folder (created on first use, readable by the user only) for the runs a sync spills beyond its
/// memory cap, never inside a synced tree; disposing it deletes it with everything in it, on success, failure or cancel.
/// </summary>
/// <param name="parent">Where to make the folder; null: the system temp folder.</param>
internal sealed class SpillFolder(string? parent = null) : IDisposable
{
    private readonly List<IDisposable> _open = [];
    private DirectoryInfo? _folder;
    private int _files;

    private const string Prefix = "synctooling-spill-";

    /// <summary>The folder, or null while nothing was spilled.</summary>
    public string? Path => _folder?.FullName;

    /// <summary>A new file path in the folder; the caller creates the file.</summary>
    public string NewFile()
    {
        // Mode 700 on Unix (as CreateTempSubdirectory makes it): key names can be private.
        _folder ??= parent is null ? Directory.CreateTempSubdirectory(Prefix)
            : OperatingSystem.IsWindows() ? Directory.CreateDirectory(System.IO.Path.Combine(parent, Prefix + Guid.NewGuid().ToString("N")))
            : Directory.CreateDirectory(System.IO.Path.Combine(parent, Prefix + Guid.NewGuid().ToString("N")), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return System.IO.Path.Combine(_folder.FullName, $"run-{Interlocked.Increment(ref _files):D6}.bin");
    }

    /// <summary>Closes <paramref name="file"/> when the folder goes, if its owner has not (a failed or cancelled sync).</summary>
    public T Track<T>(T file)
        where T : IDisposable
    {
        lock (_open)
        {
            _open.Add(file);
        }

        return file;
    }

    public void Dispose()
    {
        lock (_open)
        {
            _open.ForEach(f => f.Dispose());
            _open.Clear();
        }

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
