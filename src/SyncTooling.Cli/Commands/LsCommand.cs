using System.ComponentModel.DataAnnotations;
using System.Globalization;
using McMaster.Extensions.CommandLineUtils;
using SyncTooling.Cli.Output;
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
        var entries = await WithTimeoutAsync("the listing", "nothing was changed.", ct => engine.ListAsync(remote, Retries, ct), Context.Interrupted).ConfigureAwait(false);
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
}
