using McMaster.Extensions.CommandLineUtils;
using SyncTooling.Cli;

return await SyncCli.RunAsync(PhysicalConsole.Singleton, args, TimeProvider.System, handleSigterm: true).ConfigureAwait(false);
