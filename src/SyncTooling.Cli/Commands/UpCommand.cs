using System.ComponentModel.DataAnnotations;
using McMaster.Extensions.CommandLineUtils;

namespace SyncTooling.Cli.Commands;

/// <summary>`sync up LOCAL REMOTE`: make REMOTE match LOCAL.</summary>
[Command("up", Description = "Sync a local directory up to a storage location.", ExtendedHelpText = Help.Up)]
internal sealed class UpCommand(CliContext context) : TransferCommandBase(context)
{
    [Argument(0, "LOCAL", Description = "The local directory to read.")]
    [Required(ErrorMessage = "missing LOCAL and REMOTE: sync up LOCAL REMOTE.")]
    public string? Local { get; set; }

    [Argument(1, "REMOTE", Description = "The storage location to write: s3://bucket/prefix, gs://bucket/prefix, az://container/prefix, hdfs://host:port/path or a local path.")]
    [Required(ErrorMessage = "missing REMOTE: sync up LOCAL REMOTE.")]
    public string? Remote { get; set; }

    protected override Task<int> ExecuteAsync()
    {
        var options = BuildOptions();
        var local = ParseLocation(Local, "LOCAL");
        if (!local.IsLocal)
        {
            throw new UsageException($"LOCAL '{local}' is not a local directory; to copy from storage use 'sync down REMOTE LOCAL'.");
        }

        var remote = ParseLocation(Remote, "REMOTE");
        return RunSyncAsync("up", local, remote, options, Context.Interrupted);
    }
}
