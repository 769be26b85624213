using System.Diagnostics.CodeAnalysis;
using Microsoft.Win32.SafeHandles;

namespace SyncTooling.Storage.File;

/// <summary>
/// A local directory. Writes go to a hidden temp file in the target folder and are renamed into place, so a
/// crash or cancellation never leaves a truncated file at a final path; temp files left by a killed process
/// (<see cref="TempPrefix"/> and 12 hex digits) are skipped by listings and removed by <see cref="RemoveStaleTempFiles(DateTimeOffset)"/>.
/// Only regular files and folders are synced: symbolic links are not followed, so a sync never leaves its root
/// through one, and FIFOs, sockets and devices are never opened; both are listed in <see cref="Skipped"/>.
/// </summary>
public sealed partial class FileStorage : IStorage
{
    /// <summary>Temp files written by this backend are named this prefix and exactly 12 lowercase hex digits.</summary>
    public const string TempPrefix = ".synctmp-";

    /// <summary>A temp file unchanged for this long belongs to no live sync (a live one is written to, or renamed, within seconds).</summary>
    public static readonly TimeSpan StaleTempAge = TimeSpan.FromHours(1);

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

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        string path = PathOf(key);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            Stream stream = LinuxFiles.IsSupported
                ? new FileStream(LinuxFiles.OpenRegularForRead(path), FileAccess.Read, bufferSize: 1)
                : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
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
            lastModified,
            () => Task.FromResult(DefaultCreateMode),
            temp => CopyAsync(content, temp, length, cancellationToken),
            cancellationToken);
    }

    // What FileStream creates files with (before the umask).
    private const UnixFileMode DefaultCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary>
    /// The one way this backend puts a file at a key: create a hidden temp file beside it (never through a linked
    /// folder, see <see cref="TreeFolder"/>), write it, then rename it over the key, so a reader never sees a part.
    /// On any failure the temp file is removed; failures of the source (<see cref="SourceReadException"/>) surface
    /// as themselves, local I/O failures are classified.
    /// </summary>
    private async Task ReplaceViaTempAsync(string key, DateTimeOffset lastModified, Func<Task<UnixFileMode>> openSource, Func<SafeFileHandle, Task> writeTemp, CancellationToken cancellationToken)
    {
        string path = PathOf(key);
        int slash = key.LastIndexOf('/');
        string name = key[(slash + 1)..];
        string temp = TempFileName.New();
        TreeFolder? folder = null;
        bool created = false;
        try
        {
            UnixFileMode mode = await openSource().ConfigureAwait(false);
            folder = TreeFolder.Open(_root, slash < 0 ? string.Empty : key[..slash], create: true);
            using (var handle = folder.CreateNew(temp, mode))
            {
                created = true;
                await writeTemp(handle).ConfigureAwait(false);
                System.IO.File.SetLastWriteTimeUtc(handle, lastModified.UtcDateTime);
                cancellationToken.ThrowIfCancellationRequested();
                folder.Commit(temp, name, handle);
                created = false;
            }
        }
        catch (Exception ex)
        {
            if (created)
            {
                TryDelete(folder!, temp);
            }

            if (ex is SourceReadException sourceFailure)
            {
                // The content stream failed (e.g. a network drop): its own exception, unclassified here.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(sourceFailure.InnerException!);
            }

            if (LocalWriteFailure(ex, path) is { } failure)
            {
                throw failure;
            }

            throw;
        }
        finally
        {
            folder?.Dispose();
        }
    }

    /// <summary>What a write at <paramref name="path"/> reports for a local failure; null when <paramref name="ex"/> is none.</summary>
    private static StorageException? LocalWriteFailure(Exception ex, string path) => ex switch
    {
        // Listings skip links, so "sub/x" looks new when "sub" links elsewhere; writing it would leave the root.
        SpecialFileException { Kind: FileKind.SymbolicLink } link => new StorageException(StorageErrorKind.Permanent, $"'{link.Path}' is a symbolic link; links in the target are not followed, so nothing was written through it.", ex),
        SpecialFileException special => new StorageException(StorageErrorKind.Permanent, $"'{special.Path}' is {SkipReason(special.Kind)}; nothing was written through it.", ex),
        IOException or UnauthorizedAccessException => Classify(ex, path),
        _ => null,
    };

    private static async Task CopyAsync(Stream content, SafeFileHandle target, long length, CancellationToken cancellationToken)
    {
        long offset = 0;
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

                await RandomAccess.WriteAsync(target, buffer.AsMemory(0, read), offset, cancellationToken).ConfigureAwait(false);
                offset += read;
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
    /// <param name="sourcePath">The local file to copy.</param>
    /// <param name="key">The key to write.</param>
    /// <param name="listed">The source file as its listing saw it: its size and modification time (which the copy gets).</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <exception cref="StorageException">Transient "changed during upload" when the file is not as listed after the read (or more than its size was read); nothing is written at the key.</exception>
    public Task CopyFromFileAsync(string sourcePath, string key, StorageEntry listed, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourcePath);
        ArgumentNullException.ThrowIfNull(listed);
        cancellationToken.ThrowIfCancellationRequested();
        SafeFileHandle? source = null;
        return RunAsync();

        async Task RunAsync()
        {
            try
            {
                await ReplaceViaTempAsync(
                    key,
                    listed.LastModified,
                    () =>
                    {
                        source = OpenForCopy(sourcePath);
                        return Task.FromResult(OperatingSystem.IsWindows() ? DefaultCreateMode : System.IO.File.GetUnixFileMode(source));
                    },
                    target =>
                    {
                        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(128 * 1024);
                        try
                        {
                            long offset = 0;
                            int read;
                            while (offset <= listed.Size && (read = RandomAccess.Read(source!, buffer, offset)) > 0)
                            {
                                cancellationToken.ThrowIfCancellationRequested();
                                RandomAccess.Write(target, buffer.AsSpan(0, read), offset);
                                offset += read;
                            }

                            ThrowIfChanged(sourcePath, listed, offset);
                            return Task.CompletedTask;
                        }
                        finally
                        {
                            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                        }
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                source?.Dispose();
            }
        }
    }

    /// <summary>The file at <paramref name="key"/> as a listing would show it now, or null when it is gone.</summary>
    internal StorageEntry? Stat(string key)
    {
        var info = new FileInfo(PathOf(key));
        return info.Exists ? new StorageEntry(key, info.Length, info.LastWriteTimeUtc) : null;
    }

    /// <summary>
    /// Throws a transient "changed during upload" failure when <paramref name="read"/> bytes were read from the
    /// file at <paramref name="path"/> but its listing said otherwise, or when its size or modification time
    /// differ from the listing now: the bytes read may mix two versions, so they must not be committed.
    /// </summary>
    internal static void ThrowIfChanged(string path, StorageEntry listed, long read)
    {
        var now = new FileInfo(path);
        string? change =
            !now.Exists ? "it was deleted"
            : read != listed.Size ? $"{(read > listed.Size ? "more than " : string.Empty)}{Math.Min(read, listed.Size)} bytes were read, the listing said {listed.Size}"
            : now.Length != listed.Size ? $"its size went from {listed.Size} to {now.Length} bytes"
            : now.LastWriteTimeUtc != listed.LastModified.UtcDateTime ? $"its modification time went from {listed.LastModified.UtcDateTime:O} to {now.LastWriteTimeUtc:O}"
            : null;
        if (change is not null)
        {
            throw new StorageException(StorageErrorKind.Transient, $"'{path}' changed during upload ({change}); it was not committed.");
        }
    }

    // ReadWrite|Delete sharing: .NET takes no advisory lock then, which saves two flock calls a file. On Linux the
    // handle is opened without blocking and refused unless it is a regular file (a FIFO would block the read forever).
    private static SafeFileHandle OpenForCopy(string path)
    {
        try
        {
            return LinuxFiles.IsSupported
                ? LinuxFiles.OpenRegularForRead(path)
                : System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException ex)
        {
            // The source vanished after the listing: a source failure, not one of this storage.
            throw new SourceReadException(new StorageException(StorageErrorKind.NotFound, $"'{path}' does not exist.", ex));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SourceReadException(Classify(ex, path));
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
            int slash = key.LastIndexOf('/');
            try
            {
                using (var folder = TreeFolder.Open(_root, slash < 0 ? string.Empty : key[..slash], create: false))
                {
                    folder.Delete(key[(slash + 1)..]);
                }

                RemoveEmptyParents(key);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                // Already gone.
            }
            catch (SpecialFileException ex)
            {
                throw new StorageException(StorageErrorKind.Permanent, $"'{ex.Path}' is {FileKinds.Describe(ex.Kind)}; links in the target are not followed, so nothing was deleted through it.", ex);
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

    /// <summary>
    /// True when a folder stands where <paramref name="key"/>'s file goes, or a file where one of its folders goes:
    /// a write of the key cannot succeed until that entry is gone.
    /// </summary>
    internal bool IsBlockedByOtherKind(string key)
    {
        string path = PathOf(key);
        if (Directory.Exists(path))
        {
            return true;
        }

        return StorageKey.FoldersOf(key).Any(folder => System.IO.File.Exists(PathOf(folder)));
    }

    /// <summary>
    /// Removes the folder at <paramref name="key"/> when it holds nothing but empty folders (no file, no link, no
    /// special file at any depth), deepest first, each removal one of an empty folder in a parent opened without
    /// following links; false, with nothing but already-empty folders removed, when anything else is found.
    /// </summary>
    internal bool RemoveEmptyFolderTree(string key)
    {
        try
        {
            var folder = new DirectoryInfo(PathOf(key));
            if (!folder.Exists || folder.LinkTarget is not null)
            {
                return false;
            }

            foreach (var child in folder.EnumerateFileSystemInfos())
            {
                if (child is not DirectoryInfo || child.LinkTarget is not null || !RemoveEmptyFolderTree(key + "/" + child.Name))
                {
                    return false;
                }
            }

            int slash = key.LastIndexOf('/');
            using var parent = TreeFolder.Open(_root, slash < 0 ? string.Empty : key[..slash], create: false);
            return parent.RemoveIfEmpty(key[(slash + 1)..]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SpecialFileException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Maps a key to its path, refusing keys that would leave the root.</summary>
    public string PathOf(string key)
    {
        StorageKey.Validate(key);
        string path = Path.Join(_root, key.Replace('/', Path.DirectorySeparatorChar));
        return path;
    }

    private static int CopyBufferSize(long length) => (int)Math.Clamp(length, 4096, 1024 * 1024);

    private void RemoveEmptyParents(string key)
    {
        string[] segments = key.Split('/');
        for (int depth = segments.Length - 1; depth > 0; depth--)
        {
            using var parent = TreeFolder.Open(_root, string.Join('/', segments[..(depth - 1)]), create: false);
            if (!parent.RemoveIfEmpty(segments[depth - 1]))
            {
                return;
            }
        }
    }

    private static void TryDelete(TreeFolder folder, string name)
    {
        try
        {
            folder.Delete(name);
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
        SpecialFileException special => new StorageException(StorageErrorKind.Permanent, $"'{special.Path}' is {SkipReason(special.Kind)}, so it was not read.", ex),
        UnauthorizedAccessException => new StorageException(StorageErrorKind.AccessDenied, $"Access to '{path}' is denied.", ex),
        _ => new StorageException(StorageErrorKind.Permanent, $"I/O error on '{path}': {ex.Message}", ex),
    };
}
