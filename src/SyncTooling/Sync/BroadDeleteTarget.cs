using SyncTooling.Storage;

namespace SyncTooling.Sync;

/// <summary>Targets whose deletion is almost always a slip (`sync delete .`, `~`, `/`, `s3://bucket`), so it needs force.</summary>
internal static class BroadDeleteTarget
{
    /// <summary>What makes <paramref name="target"/> broad ("the file system root", ...), or null when it is not.</summary>
    public static string? Describe(StorageUri target) => Describe(target, Environment.CurrentDirectory, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    internal static string? Describe(StorageUri target, string currentDirectory, string home)
    {
        if (!target.IsLocal)
        {
            return target.Path.Length == 0 ? (target.IsCloud ? "a whole bucket (no prefix)" : "the whole store (no path)") : null;
        }

        string path = Normalize(target.Path);
        if (Path.GetPathRoot(path) is { } root && Normalize(root) == path)
        {
            return "the file system root";
        }

        foreach (var (folder, name) in new[] { (home, "your home folder"), (currentDirectory, "the current folder") })
        {
            if (folder.Length == 0)
            {
                continue;
            }

            string other = Normalize(folder);
            if (other == path)
            {
                return name;
            }

            if (other.StartsWith(path + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return "a folder that holds " + name;
            }
        }

        return null;
    }

    private static string Normalize(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
}
