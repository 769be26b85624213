using System.ComponentModel.DataAnnotations;
using System.Globalization;
using McMaster.Extensions.CommandLineUtils;
using SyncTooling.Cli.Output;
using SyncTooling.Storage;
using SyncTooling.Sync;

namespace SyncTooling.Cli.Commands;

/// <summary>`sync ls REMOTE`: every file below REMOTE with its size and modification time.</summary>
[Command("ls", Description = "List the files below a storage location, recursively, with sizes and times.", ExtendedHelpText = Help.Ls)]
internal sealed class LsCommand(CliContext context) : RemoteCommandBase(context)
{
    [Argument(0, "REMOTE", Description = "The storage location to list.")]
    [Required(ErrorMessage = "missing REMOTE: sync ls REMOTE.")]
    public string? Remote { get; set; }

    protected override async Task<int> ExecuteAsync()
    {
        CheckRemoteOptions();
        var remote = ParseLocation(Remote, "REMOTE");
        var engine = new SyncEngine(Context.Registry, timeProvider: Context.TimeProvider);
        IReadOnlyList<StorageEntry> entries;
        try
        {
            entries = await WithTimeoutAsync("the listing", "nothing was changed.", ct => engine.ListAsync(remote, Retries, ct), Context.Interrupted).ConfigureAwait(false);
        }
        catch (StorageException ex) when (ex.Kind == StorageErrorKind.NotFound)
        {
            // A missing bucket or container says so (its name is likelier mistyped than the prefix empty).
            return Fail(ExitCodes.SourceNotFound, ex.ContainerMissing ? $"{ex.Message} Nothing was listed." : Missing(remote), ex);
        }

        // An object store has no empty folders: a prefix without objects is as missing as a directory that is not there.
        if (entries.Count == 0 && !await HasDirectoriesAsync(remote).ConfigureAwait(false))
        {
            return Fail(ExitCodes.SourceNotFound, Missing(remote), null);
        }

        long total = entries.Sum(e => e.Size);
        if (Mode == OutputMode.Json)
        {
            foreach (var entry in entries)
            {
                JsonLines.Write(Console, w =>
                {
                    w.WriteString("event", "file");
                    w.WriteString("key", entry.Key);
                    w.WriteNumber("size", entry.Size);
                    w.WriteString("lastModified", entry.LastModified.ToUniversalTime());
                });
            }

            JsonLines.Write(Console, w =>
            {
                w.WriteString("event", "summary");
                w.WriteNumber("files", entries.Count);
                w.WriteNumber("bytes", total);
            });
        }
        else if (Mode != OutputMode.Quiet)
        {
            int width = entries.Count == 0 ? 1 : entries.Max(e => e.Size.ToString(CultureInfo.InvariantCulture).Length);
            foreach (var entry in entries)
            {
                string time = entry.LastModified.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                Console.Out.WriteLine($"{entry.Size.ToString(CultureInfo.InvariantCulture).PadLeft(width)}  {time}  {SyncReporter.Shown(entry.Key)}");
            }

            Console.Out.WriteLine($"{entries.Count} files, {Units.Bytes(total)}");
        }

        return ExitCodes.Success;
    }

    /// <summary>One message for a missing location, whatever the backend (exit code 3).</summary>
    private static string Missing(StorageUri remote) => $"'{remote}' does not exist (on an object store: no object has this prefix); nothing was listed.";

    private async Task<bool> HasDirectoriesAsync(StorageUri remote)
    {
        var storage = Context.Registry.Open(remote);
        await using (storage.ConfigureAwait(false))
        {
            return storage.Capabilities.HasDirectories;
        }
    }
}
