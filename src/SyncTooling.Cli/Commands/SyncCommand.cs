using System.Reflection;
using McMaster.Extensions.CommandLineUtils;

namespace SyncTooling.Cli.Commands;

/// <summary>The root: lists the commands; `sync` alone is a usage error.</summary>
[Command(
    "sync",
    Description = "Sync a local directory to object storage (s3://, gs://, az://, hdfs://, local) and back.",
    ExtendedHelpText = Help.RootExamples)]
[Subcommand(typeof(UpCommand), typeof(DownCommand), typeof(DeleteCommand), typeof(LsCommand), typeof(WatchCommand), typeof(ValidateCommand), typeof(DemoCommand))]
[VersionOptionFromMember("--version", MemberName = nameof(Version))]
[HelpOption("-h|--help")]
internal sealed class SyncCommand
{
    public static string Version { get; } =
        "sync " + (typeof(SyncCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");

    public int OnExecute(CommandLineApplication app, IConsole console)
    {
        app.ShowHelp();
        console.Error.WriteLine("error: no command given. Run 'sync COMMAND --help' for a command's options.");
        return ExitCodes.Usage;
    }
}
