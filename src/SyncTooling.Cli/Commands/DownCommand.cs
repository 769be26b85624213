using System.ComponentModel.DataAnnotations;
using McMaster.Extensions.CommandLineUtils;

namespace SyncTooling.Cli.Commands;

/// <summary>`sync down REMOTE LOCAL`: make LOCAL match REMOTE.</summary>
[Command("down", Description = "Sync a storage location down to a local directory.", ExtendedHelpText = Help.Down)]
internal sealed class DownCommand(CliContext context) : TransferCommandBase(context)
{
    [Argument(0, "REMOTE", Description = "The storage location to read: s3://bucket/prefix, gs://bucket/prefix, az://container/prefix, hdfs://host:port/path or a local path.")]
    [Required(ErrorMessage = "missing REMOTE and LOCAL: sync down REMOTE LOCAL.")]
    public string? Remote { get; set; }

    [Argument(1, "LOCAL", Description = "The local directory to write (created when missing).")]
    [Required(ErrorMessage = "missing LOCAL: sync down REMOTE LOCAL.")]
    public string? Local { get; set; }

    protected override Task<int> ExecuteAsync()
    {
        var options = BuildOptions();
        var remote = ParseLocation(Remote, "REMOTE");
        var local = ParseLocation(Local, "LOCAL");
        if (!local.IsLocal)
        {
            throw new UsageException($"LOCAL '{local}' is not a local directory; to copy to storage use 'sync up LOCAL REMOTE'.");
        }

        return RunSyncAsync("down", remote, local, options, Context.Interrupted);
    }
}
