using System.Runtime.InteropServices;
using McMaster.Extensions.CommandLineUtils;
using SyncTooling.Cli.Commands;
using SyncTooling.Cli.Output;
using SyncTooling.Storage;
using SyncTooling.Validation;

namespace SyncTooling.Cli;

/// <summary>Builds and runs the `sync` command line; the one entry point for Program and the tests.</summary>
internal static class SyncCli
{
    public static async Task<int> RunAsync(IConsole console, string[] args, TimeProvider timeProvider, bool handleSigterm = false, StorageRegistry? registry = null, int terminalWidth = 0)
    {
        ArgumentNullException.ThrowIfNull(args);
        // Everything below writes through this console, so no secret given to this run is printed, whatever prints it.
        console = new RedactingConsole(console, SecretMask.From(args, Environment.GetEnvironmentVariable));
        try
        {
            return await RunMaskedAsync(console, args, timeProvider, handleSigterm, registry, terminalWidth).ConfigureAwait(false);
        }
        finally
        {
            await console.Out.FlushAsync().ConfigureAwait(false);
            await console.Error.FlushAsync().ConfigureAwait(false);
        }
    }

    private static async Task<int> RunMaskedAsync(IConsole console, string[] args, TimeProvider timeProvider, bool handleSigterm, StorageRegistry? registry, int terminalWidth)
    {
        using var context = new CliContext(console, timeProvider, registry ?? StorageRegistry.Default) { Arguments = args, TerminalWidth = terminalWidth };

        // A service stop (SIGTERM) gets the same clean shutdown as Ctrl+C.
        using var sigterm = handleSigterm
            ? PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => c.Cancel = context.RequestStop())
            : null;

        using var app = CreateApplication(context);
        try
        {
            // CommandLineUtils 2.3 has no instance ExecuteAsync; Execute blocks on OnExecuteAsync, so keep it off the caller's thread.
            string[] parsed = EndOfOptions.Apply(app, args);
            context.Arguments = parsed; // What the options were read from, for the filters' command-line order.
            return await Task.Run(() => app.Execute(parsed)).ConfigureAwait(false);
        }
        catch (CommandParsingException ex)
        {
            // Unknown options, missing values, values of the wrong type: all usage errors.
            string command = ex.Command?.Name is { Length: > 0 } name && ex.Command.Parent is not null ? "sync " + name : "sync";
            string suggestion = OptionSuggestions.For(ex) is { } close ? $" Did you mean {close}?" : string.Empty;
            await console.Error.WriteLineAsync($"error: {StorageUriGrammar.Printable(ex.Message.TrimEnd('.'))}.{suggestion} Run '{command} --help' for the options.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
    }

    /// <summary>The parser with every command and option; the tests parse documented examples with it, without running them.</summary>
    internal static CommandLineApplication<SyncCommand> CreateApplication(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var app = new CommandLineApplication<SyncCommand>(new HintlessConsole(context.Console));
        NativeCode.KeepValueParsers(app);
        app.Conventions.UseDefaultConventions().UseConstructorInjection(new Services(context));
        return app;
    }

    private sealed class Services(CliContext context) : IServiceProvider
    {
        public object? GetService(Type serviceType) =>
            serviceType == typeof(CliContext) ? context
            : serviceType == typeof(IConsole) ? context.Console
            : serviceType == typeof(TimeProvider) ? context.TimeProvider
            : null;
    }
}
