using System.Runtime.CompilerServices;

namespace SyncTooling.Cli.Tests.Infrastructure;

/// <summary>
/// Sync down records its state under ~/.local/state unless told otherwise: every test in this assembly, and every
/// process it starts (they inherit the environment), uses a private folder instead, so no test writes into the home.
/// </summary>
internal static class PrivateStateDirectory
{
    public static string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "synctooling-test-state-" + Environment.ProcessId);

    [ModuleInitializer]
    internal static void Initialize()
    {
        Environment.SetEnvironmentVariable("SYNCTOOLING_STATE_DIR", Path);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // Never created, or still in use by a child process: the folder is under the temp folder.
            }
        };
    }
}
