using Microsoft.Win32.SafeHandles;

namespace SyncTooling.Storage.File;

/// <summary>Files written in pieces at offsets: the temp file of a download in ranges, kept across runs to resume it.</summary>
public sealed partial class FileStorage
{
    /// <summary>
    /// Opens the temp file of a download of <paramref name="length"/> bytes at <paramref name="key"/>, written at
    /// offsets: <paramref name="resumeTemp"/> beside the key when it is still this storage's own regular file of
    /// that length and no other sync holds its lock (a rerun continues it), else a new temp file of that length
    /// (sparse until written). The file's exclusive lock is held until the partial file is disposed.
    /// </summary>
    /// <exception cref="StorageException">The folder cannot be made or written (classified as <see cref="IStorage.WriteAsync"/>'s failures).</exception>
    internal PartialFile OpenPartial(string key, long length, string? resumeTemp)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        string path = PathOf(key);
        int slash = key.LastIndexOf('/');
        TreeFolder? folder = null;
        try
        {
            folder = TreeFolder.Open(_root, slash < 0 ? string.Empty : key[..slash], create: true);
            if (resumeTemp is not null && TempFileName.Matches(resumeTemp) && folder.OpenOwnFile(resumeTemp) is { } reopened)
            {
                if (RandomAccess.GetLength(reopened) == length)
                {
                    return new PartialFile(folder, reopened, resumeTemp, key[(slash + 1)..], path, resumed: true);
                }

                reopened.Dispose();
                TryDelete(folder, resumeTemp);
            }

            string temp = TempFileName.New();
            var handle = folder.CreateNewReadWrite(temp, DefaultCreateMode);
            try
            {
                RandomAccess.SetLength(handle, length);
            }
            catch
            {
                handle.Dispose();
                TryDelete(folder, temp);
                throw;
            }

            return new PartialFile(folder, handle, temp, key[(slash + 1)..], path, resumed: false);
        }
        catch (Exception ex) when (LocalWriteFailure(ex, path) is { } failure)
        {
            folder?.Dispose();
            throw failure;
        }
        catch
        {
            folder?.Dispose();
            throw;
        }
    }

    /// <summary>Removes the temp file <paramref name="temp"/> beside <paramref name="key"/> (a download that starts over), unless another sync is writing it; best effort.</summary>
    internal void DeletePartial(string key, string temp)
    {
        if (!TempFileName.Matches(temp))
        {
            return;
        }

        int slash = key.LastIndexOf('/');
        try
        {
            using var folder = TreeFolder.Open(_root, slash < 0 ? string.Empty : key[..slash], create: false);
            using var unused = folder.OpenOwnFile(temp);
            if (unused is not null)
            {
                TryDelete(folder, temp);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SpecialFileException or StorageException)
        {
            // Gone already, or left for the stale temp file rule.
        }
    }

    /// <summary>
    /// One temp file being written at offsets. <see cref="Commit"/> renames it over the key (after the same checks as
    /// every write); <see cref="Dispose"/> without a commit keeps it for a rerun, <see cref="Discard"/> removes it.
    /// </summary>
    internal sealed class PartialFile : IDisposable
    {
        private readonly TreeFolder _folder;
        private readonly string _name;
        private readonly string _path;
        private bool _done;

        internal PartialFile(TreeFolder folder, SafeFileHandle handle, string tempName, string name, string path, bool resumed)
        {
            _folder = folder;
            Handle = handle;
            TempName = tempName;
            _name = name;
            _path = path;
            Resumed = resumed;
        }

        /// <summary>The temp file, open for reading and writing at offsets.</summary>
        public SafeFileHandle Handle { get; }

        /// <summary>The temp file's name in the key's folder (<see cref="TempPrefix"/> and 12 hex digits), to record for a rerun.</summary>
        public string TempName { get; }

        /// <summary>True when this is the temp file of an earlier run, reopened.</summary>
        public bool Resumed { get; }

        /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/>.</summary>
        public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, long offset, CancellationToken cancellationToken = default)
        {
            try
            {
                await RandomAccess.WriteAsync(Handle, data, offset, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (LocalWriteFailure(ex, _path) is { } failure)
            {
                throw failure;
            }
        }

        /// <summary>Reads what was written at <paramref name="offset"/>.</summary>
        public async ValueTask<int> ReadAsync(Memory<byte> buffer, long offset, CancellationToken cancellationToken = default)
        {
            try
            {
                return await RandomAccess.ReadAsync(Handle, buffer, offset, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (LocalWriteFailure(ex, _path) is { } failure)
            {
                throw failure;
            }
        }

        /// <summary>Makes what was written durable (before a record says it is there).</summary>
        public void FlushToDisk()
        {
            try
            {
                RandomAccess.FlushToDisk(Handle);
            }
            catch (Exception ex) when (LocalWriteFailure(ex, _path) is { } failure)
            {
                throw failure;
            }
        }

        /// <summary>Sets the modification time and renames the temp file over the key: the file arrives whole or not at all.</summary>
        /// <exception cref="StorageException">The temp file or its folder was replaced meanwhile, or a local I/O failure.</exception>
        public void Commit(DateTimeOffset lastModified)
        {
            try
            {
                System.IO.File.SetLastWriteTimeUtc(Handle, lastModified.UtcDateTime);
                _folder.Commit(TempName, _name, Handle);
                _done = true;
            }
            catch (Exception ex) when (LocalWriteFailure(ex, _path) is { } failure)
            {
                throw failure;
            }
        }

        /// <summary>Removes the temp file: what it holds must not be continued.</summary>
        public void Discard()
        {
            if (!_done)
            {
                TryDelete(_folder, TempName);
                _done = true;
            }
        }

        public void Dispose()
        {
            Handle.Dispose();
            _folder.Dispose();
        }
    }
}
