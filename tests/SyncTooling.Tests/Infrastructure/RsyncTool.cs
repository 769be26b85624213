using System.Diagnostics;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>
/// Makes sure rsync is there for the command-syncer tests: .ci/run installs it; elsewhere the tests install it
/// with apt-get when running as root, and otherwise say loudly that they fell back to cp.
/// </summary>
public static class RsyncTool
{
    private static readonly Lazy<bool> Installed = new(EnsureInstalled);

    /// <summary>True when rsync can be run.</summary>
    public static bool Available => Installed.Value;

    /// <summary>The message printed when the tests fall back to cp.</summary>
    public const string FallbackMessage =
        "rsync is not installed and could not be installed (not root, or apt-get failed): the rsync command-syncer tests asserted with cp instead. Run `apt-get install -y rsync` (bash .ci/run does) to test rsync.";

    private static bool EnsureInstalled()
    {
        if (OnPath("rsync"))
        {
            return true;
        }

        if (Environment.UserName == "root" && OnPath("apt-get"))
        {
            Run("apt-get", "update", "-qq");
            Run("apt-get", "install", "-y", "-qq", "rsync");
        }

        bool found = OnPath("rsync");
        if (!found)
        {
            Console.Error.WriteLine(FallbackMessage);
        }

        return found;
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));

    private static void Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
    }
}
