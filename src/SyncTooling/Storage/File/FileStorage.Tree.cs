using System.IO.Enumeration;

namespace SyncTooling.Storage.File;

/// <summary>
/// The whole tree below the root as `sync delete` sees it: files, folders, links (never followed) and temp files, so a
/// dry run lists exactly what the real run removes, and the real run removes exactly what it listed.
/// </summary>
public sealed partial class FileStorage
{
    /// <summary>The reason a listed key cannot be read or written under its name here, or null when it can.</summary>
    /// <remarks>
    /// .NET reads a file name that is not valid UTF-8 with U+FFFD in place of the bad bytes, so the name it lists is not
    /// the name on disk: reading, writing or deleting it by that name would miss the file.
    /// </remarks>
    public string? CheckName(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Contains('\uFFFD', StringComparison.Ordinal) && !EntryExists(Path.Join(_root, key.TrimEnd('/')))
            ? "the file name is not valid UTF-8 (shown with U+FFFD), so it cannot be read or stored under its own name"
            : null;
    }

    /// <summary>
    /// Deletes everything below the root, then the root folder when it is empty, and returns what went below it, as relative POSIX paths in
    /// ordinal order: folders end with '/', a symbolic link is removed as itself (its target is never touched). With
    /// <paramref name="dryRun"/>, returns the same list and deletes nothing. A folder that holds something that appeared
    /// after the listing is kept, with that new entry. A root that does not exist gives an empty list.
    /// </summary>
    /// <exception cref="StorageException">
    /// The root is a file or a symbolic link, cannot be read, or holds a name .NET cannot address (nothing was deleted);
    /// or an entry could not be removed.
    /// </exception>
    public Task<IReadOnlyList<string>> PurgeTreeAsync(bool dryRun, CancellationToken cancellationToken = default)
    {
        var entries = ListTree(cancellationToken);
        return Task.FromResult(dryRun ? entries : DeleteTree(entries, cancellationToken));
    }

    private IReadOnlyList<string> ListTree(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_root))
        {
            return System.IO.File.Exists(_root)
                ? throw new StorageException(StorageErrorKind.Permanent, $"'{_root}' is a file, not a directory.")
                : [];
        }

        if (new DirectoryInfo(_root).LinkTarget is not null)
        {
            throw new StorageException(StorageErrorKind.Permanent, $"'{_root}' is a symbolic link; links are not followed, so nothing below it was listed or deleted.");
        }

        int rootLength = _root.Length + 1;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false, ReturnSpecialDirectories = false };
        var tree = new FileSystemEnumerable<string>(
            _root,
            (ref FileSystemEntry e) =>
            {
                string key = RelativeKey(e.Directory, e.FileName, rootLength);
                return e.IsDirectory && (e.Attributes & FileAttributes.ReparsePoint) == 0 ? key + "/" : key;
            },
            options)
        {
            ShouldRecursePredicate = (ref FileSystemEntry e) => (e.Attributes & FileAttributes.ReparsePoint) == 0,
        };

        List<string> entries;
        try
        {
            entries = tree.Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Classify(ex, _root);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (entries.FirstOrDefault(e => CheckName(e) is not null) is { } unreachable)
        {
            throw new StorageException(
                StorageErrorKind.Permanent,
                $"'{Path.Join(_root, unreachable)}': {CheckName(unreachable)}; nothing was deleted (remove it with a tool that works on raw bytes, e.g. rm).");
        }

        return entries;
    }

    private List<string> DeleteTree(IReadOnlyList<string> entries, CancellationToken cancellationToken)
    {
        var removed = new List<string>(entries.Count);

        // In descending ordinal order a folder "a/" comes after everything below it ("a/..." sorts higher).
        for (int i = entries.Count - 1; i >= 0; i--)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string entry = entries[i];

            // Not PathOf: these names come from the listing of this root, and a legal local name (a backslash) may not be a legal key.
            string path = Path.Join(_root, entry.TrimEnd('/'));
            try
            {
                if (entry.EndsWith('/'))
                {
                    if (Directory.EnumerateFileSystemEntries(path).Any())
                    {
                        continue;
                    }

                    Directory.Delete(path);
                }
                else
                {
                    // unlink: a link goes, its target stays.
                    System.IO.File.Delete(path);
                }
            }
            catch (DirectoryNotFoundException)
            {
                continue;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw Classify(ex, path);
            }

            removed.Add(entry);
        }

        removed.Reverse();
        if (removed.Count == entries.Count)
        {
            TryRemoveEmptyRoot();
        }

        return removed;
    }

    // The root goes too when nothing new appeared in it, as DeleteAllAsync removes it (Ray's delete removes the remote folder).
    private void TryRemoveEmptyRoot()
    {
        try
        {
            Directory.Delete(_root);
        }
        catch (IOException)
        {
        }
    }

    private static bool EntryExists(string path) => Path.Exists(path) || new FileInfo(path).LinkTarget is not null;
}
