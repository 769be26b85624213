using System.Diagnostics;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>File modification times to the nanosecond, read and set by coreutils (not by the code under test).</summary>
public static class FileTimes
{
    /// <summary>Relative path -> modification time as GNU find prints it (<c>%T@</c>: seconds with ten fractional digits).</summary>
    public static SortedDictionary<string, string> Snapshot(string root)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in Run("find", root, "-type", "f", "-printf", "%T@ %P\\n").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            result[line[(space + 1)..]] = line[..space];
        }

        return result;
    }

    /// <summary>Sets a file's modification time with <c>touch -d @SECONDS.NANOSECONDS</c>.</summary>
    public static void Set(string path, string unixSeconds) => Run("touch", "-m", "-d", "@" + unixSeconds, path);

    private static string Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{program} failed: {stderr.Result}");
    }
}
