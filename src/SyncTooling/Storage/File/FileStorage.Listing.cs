using System.Collections.Concurrent;
using System.IO.Enumeration;
using System.Runtime.CompilerServices;

namespace SyncTooling.Storage.File;

/// <summary>Listing a local tree: what is skipped (links, special files) and the temp files of killed runs.</summary>
public sealed partial class FileStorage
{
    /// <summary>
    /// Entries the last listing skipped because they are not regular files or folders, in key order: symbolic
    /// links (a folder link ends with '/') and FIFOs, sockets and devices. None of them was opened.
    /// </summary>
    public IReadOnlyList<SkippedEntry> Skipped =>
        _skipped.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new SkippedEntry(e.Key, SkipReason(e.Value))).ToList();

    private readonly ConcurrentDictionary<string, FileKind> _skipped = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _tempLeftovers = new(StringComparer.Ordinal);

    /// <summary>
    /// Lists every regular file below the root in <see cref="KeyOrder"/> (UTF-8 byte order of the key), so a sync
    /// merges it with another listing without sorting: folder by folder, depth first, each folder's children sorted
    /// by name with '/' appended to a folder's name (which is where its keys sort).
    /// </summary>
    /// <inheritdoc />
    public async IAsyncEnumerable<StorageEntry> ListAsync(Func<string, bool>? shouldDescend = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        if (!Directory.Exists(_root))
        {
            throw new StorageException(
                System.IO.File.Exists(_root) ? StorageErrorKind.Permanent : StorageErrorKind.NotFound,
                System.IO.File.Exists(_root) ? $"'{_root}' is a file, not a directory." : $"Directory '{_root}' does not exist.");
        }

        _skipped.Clear();
        _tempLeftovers.Clear();
        var folders = new Stack<IEnumerator<ListedChild>>();
        folders.Push(ReadFolder(_root, shouldDescend).GetEnumerator());
        while (folders.TryPeek(out var folder))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!folder.MoveNext())
            {
                folders.Pop();
            }
            else if (folder.Current.Entry is { } file)
            {
                yield return file;
            }
            else
            {
                folders.Push(ReadFolder(Path.Join(_root, folder.Current.SortKey), shouldDescend).GetEnumerator());
            }
        }
    }

    /// <summary>One folder's files and the subfolders to descend into, in key order; what is skipped is recorded.</summary>
    private List<ListedChild> ReadFolder(string path, Func<string, bool>? shouldDescend)
    {
        int rootLength = _root.Length + 1;
        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false, ReturnSpecialDirectories = false };
        try
        {
            var children = new FileSystemEnumerable<ListedChild?>(
                path,
                (ref FileSystemEntry e) =>
                {
                    string key = RelativeKey(e.Directory, e.FileName, rootLength);
                    bool link = (e.Attributes & FileAttributes.ReparsePoint) != 0;
                    if (e.IsDirectory)
                    {
                        if (link)
                        {
                            _skipped.TryAdd(key + "/", FileKind.SymbolicLink);
                            return null;
                        }

                        return shouldDescend is null || shouldDescend(key + "/") ? new ListedChild(key + "/", null) : null;
                    }

                    if (link)
                    {
                        _skipped.TryAdd(key, FileKind.SymbolicLink);
                        return null;
                    }

                    if (TempFileName.Matches(e.FileName))
                    {
                        _tempLeftovers.TryAdd(key, true);
                        return null;
                    }

                    // FIFOs, sockets and devices have size 0 on Linux, so only empty entries cost an extra statx. A special
                    // file missed here (another system) is still refused when it is opened.
                    if (e.Length == 0 && LinuxFiles.IsSupported && LinuxFiles.Stat(Path.Join(e.Directory, e.FileName)).Kind is var kind
                        && kind is not FileKind.Regular and not FileKind.Missing)
                    {
                        _skipped.TryAdd(key, kind);
                        return null;
                    }

                    return new ListedChild(key, new StorageEntry(key, e.Length, e.LastWriteTimeUtc));
                },
                options);
            var listed = children.OfType<ListedChild>().ToList();
            listed.Sort((a, b) => KeyOrder.CompareKeys(a.SortKey, b.SortKey));
            return listed;
        }
        catch (DirectoryNotFoundException) when (path != _root)
        {
            // Removed (or renamed) while the tree was listed: nothing to list there now, but what a destination holds
            // below it is not extraneous; it is skipped like a link, which keeps it from any delete of this sync.
            _skipped.TryAdd(Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/').TrimEnd('/') + "/", FileKind.Missing);
            return [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Classify(ex, _root);
        }
    }

    /// <summary>
    /// Removes this backend's own temp files (<see cref="TempPrefix"/> and 12 hex digits, nothing else) that the
    /// last listing met and that have not changed since <paramref name="unchangedSince"/> (the inode's change time
    /// on Linux, which a live writer moves and nobody can set back; the modification time elsewhere). Only files
    /// inside this tree, never through a link. A file that cannot be removed is left for the next run.
    /// </summary>
    /// <returns>The keys removed, in key order.</returns>
    public IReadOnlyList<string> RemoveStaleTempFiles(DateTimeOffset unchangedSince) => RemoveStaleTempFiles(unchangedSince, null);

    /// <summary>As <see cref="RemoveStaleTempFiles(DateTimeOffset)"/>, keeping the temp files in <paramref name="keep"/> (keys) however old: interrupted downloads a rerun continues.</summary>
    internal IReadOnlyList<string> RemoveStaleTempFiles(DateTimeOffset unchangedSince, IReadOnlySet<string>? keep)
    {
        var removed = new List<string>();
        foreach (string key in _tempLeftovers.Keys.Where(k => keep?.Contains(k) != true).Order(StringComparer.Ordinal))
        {
            int slash = key.LastIndexOf('/');
            string name = key[(slash + 1)..];
            try
            {
                using var folder = TreeFolder.Open(_root, slash < 0 ? string.Empty : key[..slash], create: false);
                var state = folder.Stat(name);
                if (state.Kind == FileKind.Regular && state.ChangedUtc < unchangedSince && folder.Delete(name))
                {
                    removed.Add(key);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Left for the next run.
            }
        }

        return removed;
    }

    private static string RelativeKey(ReadOnlySpan<char> directory, ReadOnlySpan<char> fileName, int rootLength)
    {
        if (directory.Length < rootLength)
        {
            return fileName.ToString();
        }

        var relativeDirectory = directory[rootLength..];
        string key = string.Concat(relativeDirectory, "/", fileName);
        return Path.DirectorySeparatorChar == '/' ? key : key.Replace(Path.DirectorySeparatorChar, '/');
    }

    /// <summary>A file (with its entry) or a folder to descend into (key ending with '/', no entry).</summary>
    private sealed record ListedChild(string SortKey, StorageEntry? Entry);

    private static string SkipReason(FileKind kind) => kind switch
    {
        FileKind.SymbolicLink => "a symbolic link; links are not followed",
        FileKind.Missing => "a folder that was removed or renamed while it was listed; what is below it was left alone",
        _ => $"{FileKinds.Describe(kind)}; special files are never opened",
    };
}
