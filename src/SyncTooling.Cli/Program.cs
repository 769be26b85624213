using McMaster.Extensions.CommandLineUtils;
using SyncTooling.Cli;

return await SyncCli.RunAsync(PhysicalConsole.Singleton, args, TimeProvider.System, handleSigterm: true, terminalWidth: TerminalWidth()).ConfigureAwait(false);

// 0 when stdout is not a terminal or its width cannot be read: the progress line is then not cut.
static int TerminalWidth()
{
    try
    {
        return Console.IsOutputRedirected ? 0 : Console.WindowWidth;
    }
    catch (IOException)
    {
        return 0;
    }
}
