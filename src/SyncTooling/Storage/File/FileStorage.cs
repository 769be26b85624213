using System.Diagnostics.CodeAnalysis;
using System.IO.Enumeration;
using System.Runtime.CompilerServices;

namespace SyncTooling.Storage.File;

/// <summary>
/// A local directory. Writes go to a hidden temp file in the target folder and are renamed into place, so a
/// crash or cancellation never leaves a truncated file at a final path; temp files left by a killed process
/// (named <see cref="TempPrefix"/>*) are skipped by listings, so they are never synced. Symbolic links are not followed: a sync never
/// leaves its root through one (they are skipped and logged by the engine).
/// </summary>
public sealed partial class FileStorage : IStorage
{
    /// <summary>Temp files written by this backend start with this prefix.</summary>
    public const string TempPrefix = ".synctmp-";

    private static readonly StorageCapabilities FileCapabilities = new(
        PreservesModificationTime: true,
        ModificationTimePrecision: TimeSpan.FromTicks(1),
        HasDirectories: true,
        MaxDeleteBatch: int.MaxValue);

    private readonly string _root;

    /// <summary>Opens the directory at <paramref name="location"/> (it need not exist yet).</summary>
    public FileStorage(StorageUri location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (!location.IsLocal)
        {
            throw new ArgumentException($"FileStorage needs a local location, not '{location}'.", nameof(location));
        }

        Location = location;
        _root = location.Path;
    }

    /// <inheritdoc />
    public StorageUri Location { get; }

    /// <inheritdoc />
    public StorageCapabilities Capabilities => FileCapabilities;

    /// <summary>Symbolic links met by the last listing, as relative paths; they were skipped.</summary>
    public IReadOnlyCollection<string> SkippedLinks => _skippedLinks.Keys.ToArray();

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _skippedLinks = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _knownDirectories = new(StringComparer.Ordinal);

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

        _skippedLinks.Clear();
        int rootLength = _root.Length + 1;
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = 0,
            IgnoreInaccessible = false,
            ReturnSpecialDirectories = false,
        };
        var entries = new FileSystemEnumerable<StorageEntry>(
            _root,
            (ref FileSystemEntry e) => new StorageEntry(
                RelativeKey(e.Directory, e.FileName, rootLength),
                e.Length,
                e.LastWriteTimeUtc),
            options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) =>
            {
                if (e.IsDirectory)
                {
                    return false;
                }

                if ((e.Attributes & FileAttributes.ReparsePoint) != 0)
                {
                    _skippedLinks.TryAdd(RelativeKey(e.Directory, e.FileName, rootLength), true);
                    return false;
                }

                return !e.FileName.StartsWith(TempPrefix, StringComparison.Ordinal);
            },
            ShouldRecursePredicate = (ref FileSystemEntry e) =>
            {
                if ((e.Attributes & FileAttributes.ReparsePoint) != 0)
                {
                    _skippedLinks.TryAdd(RelativeKey(e.Directory, e.FileName, rootLength) + "/", true);
                    return false;
                }

                return shouldDescend is null || shouldDescend(RelativeKey(e.Directory, e.FileName, rootLength) + "/");
            },
        };

        IEnumerator<StorageEntry> enumerator;
        try
        {
            enumerator = entries.GetEnumerator();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Classify(ex, _root);
        }

        using (enumerator)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    if (!enumerator.MoveNext())
                    {
                        break;
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw Classify(ex, _root);
                }

                yield return enumerator.Current;
            }
        }
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        string path = PathOf(key);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
            return Task.FromResult(stream);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Classify(ex, path);
        }
    }

    /// <inheritdoc />
    public Task WriteAsync(string key, Stream content, long length, DateTimeOffset lastModified, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return ReplaceViaTempAsync(
            key,
            async temp =>
            {
                var stream = new FileStream(temp, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    Share = FileShare.None,
                    PreallocationSize = length > 0 ? length : 0,
                    BufferSize = 0,
                });
                await using (stream.ConfigureAwait(false))
                {
                    await CopyAsync(content, stream, length, cancellationToken).ConfigureAwait(false);
                }

                System.IO.File.SetLastWriteTimeUtc(temp, lastModified.UtcDateTime);
            },
            cancellationToken);
    }

    /// <summary>
    /// The one way this backend puts a file at a key: write a hidden temp file beside it, then rename over the
    /// key, so a reader never sees a part. On any failure the temp file is removed; failures of the source
    /// (<see cref="SourceReadException"/>) surface as themselves, local I/O failures are classified.
    /// </summary>
    private async Task ReplaceViaTempAsync(string key, Func<string, Task> writeTemp, CancellationToken cancellationToken)
    {
        string path = PathOf(key);
        string directory = Path.GetDirectoryName(path)!;
        string temp = Path.Combine(directory, TempPrefix + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            EnsureDirectory(directory);
            await writeTemp(temp).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            System.IO.File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex)
        {
            TryDelete(temp);
            if (ex is SourceReadException sourceFailure)
            {
                // The content stream failed (e.g. a network drop): its own exception, unclassified here.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(sourceFailure.InnerException!);
            }

            if (ex is IOException or UnauthorizedAccessException)
            {
                throw Classify(ex, path);
            }

            throw;
        }
    }

    private static async Task CopyAsync(Stream content, FileStream target, long length, CancellationToken cancellationToken)
    {
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(CopyBufferSize(length));
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    throw new SourceReadException(ex);
                }

                if (read == 0)
                {
                    return;
                }

                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Copies a local file into this storage atomically (temp file, then rename), keeping its permission bits and
    /// setting its modification time: the fast path for local-to-local syncs. It works on raw handles opened
    /// without share locks, so a small file costs about ten system calls.
    /// </summary>
    public Task CopyFromFileAsync(string sourcePath, string key, DateTimeOffset lastModified, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourcePath);
        cancellationToken.ThrowIfCancellationRequested();
        return ReplaceViaTempAsync(
            key,
            temp =>
            {
                byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(128 * 1024);
                try
                {
                    using var source = OpenForCopy(sourcePath);
                    var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete, BufferSize = 0 };
                    if (!OperatingSystem.IsWindows())
                    {
                        options.UnixCreateMode = System.IO.File.GetUnixFileMode(source);
                    }

                    using var target = new FileStream(temp, options);
                    long offset = 0;
                    int read;
                    while ((read = RandomAccess.Read(source, buffer, offset)) > 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        RandomAccess.Write(target.SafeFileHandle, buffer.AsSpan(0, read), offset);
                        offset += read;
                    }

                    System.IO.File.SetLastWriteTimeUtc(target.SafeFileHandle, lastModified.UtcDateTime);
                    return Task.CompletedTask;
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                }
            },
            cancellationToken);
    }

    // ReadWrite|Delete sharing: .NET takes no advisory lock then, which saves two flock calls a file.
    private static Microsoft.Win32.SafeHandles.SafeFileHandle OpenForCopy(string path)
    {
        try
        {
            return System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException ex)
        {
            // The source vanished after the listing: a source failure, not one of this storage.
            throw new SourceReadException(new StorageException(StorageErrorKind.NotFound, $"'{path}' does not exist.", ex));
        }
    }


    /// <inheritdoc />
    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (string key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string path = PathOf(key);
            try
            {
                System.IO.File.Delete(path);
                RemoveEmptyParents(Path.GetDirectoryName(path)!);
            }
            catch (DirectoryNotFoundException)
            {
                // Already gone.
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw Classify(ex, path);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteAllAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Classify(ex, _root);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Maps a key to its path, refusing keys that would leave the root.</summary>
    public string PathOf(string key)
    {
        StorageKey.Validate(key);
        string path = Path.Join(_root, key.Replace('/', Path.DirectorySeparatorChar));
        return path;
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

    // Creating the same folder for each of 10,000 files costs a syscall each; remember what exists.
    private void EnsureDirectory(string directory)
    {
        if (!_knownDirectories.ContainsKey(directory))
        {
            RefuseLinkedFolders(directory);
            Directory.CreateDirectory(directory);
            _knownDirectories.TryAdd(directory, true);
        }
    }

    // Listings skip links, so "sub/x" looks new when "sub" links elsewhere; writing it would follow the link out of the root.
    private void RefuseLinkedFolders(string directory)
    {
        for (string current = directory; current.Length > _root.Length; current = Path.GetDirectoryName(current)!)
        {
            if (new DirectoryInfo(current).LinkTarget is not null)
            {
                throw new StorageException(
                    StorageErrorKind.Permanent,
                    $"'{current}' is a symbolic link; links in the target are not followed, so nothing was written through it.");
            }
        }
    }

    private static int CopyBufferSize(long length) => (int)Math.Clamp(length, 4096, 1024 * 1024);

    private void RemoveEmptyParents(string directory)
    {
        while (directory.Length > _root.Length && directory.StartsWith(_root, StringComparison.Ordinal))
        {
            if (Directory.EnumerateFileSystemEntries(directory).Any())
            {
                return;
            }

            Directory.Delete(directory);
            directory = Path.GetDirectoryName(directory)!;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            System.IO.File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Marks a failure of the content stream, so it is not mistaken for a local disk error.</summary>
    private sealed class SourceReadException(Exception inner) : Exception(inner.Message, inner);

    [SuppressMessage("Design", "CA1031", Justification = "Classifies any I/O failure once.")]
    private static StorageException Classify(Exception ex, string path) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => new StorageException(StorageErrorKind.NotFound, $"'{path}' does not exist.", ex),
        UnauthorizedAccessException => new StorageException(StorageErrorKind.AccessDenied, $"Access to '{path}' is denied.", ex),
        _ => new StorageException(StorageErrorKind.Permanent, $"I/O error on '{path}': {ex.Message}", ex),
    };
}
