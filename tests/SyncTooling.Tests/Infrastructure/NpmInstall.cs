using System.Diagnostics;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>Runs `npm ci` in a folder once, even when several test processes start at the same time.</summary>
public static class NpmInstall
{
    public static async Task EnsureAsync(string folder, string expectedFile)
    {
        if (File.Exists(expectedFile))
        {
            return;
        }

        string lockPath = Path.Combine(folder, ".npm-install.lock");
        FileStream? gate = null;
        for (int i = 0; gate is null; i++)
        {
            try
            {
                gate = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (i < 600)
            {
                await Task.Delay(500);
            }
        }

        await using (gate)
        {
            if (File.Exists(expectedFile))
            {
                return;
            }

            var start = new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };

            // npm's cache and logs go into the package folder (git ignores it), never into ~/.npm.
            start.Environment["npm_config_cache"] = Path.Combine(folder, ".npm-cache");
            start.Environment["npm_config_update_notifier"] = "false";
            using var npm = Process.Start(start)!;
            var output = npm.StandardOutput.ReadToEndAsync();
            var errors = npm.StandardError.ReadToEndAsync();
            await npm.WaitForExitAsync();
            if (npm.ExitCode != 0 || !File.Exists(expectedFile))
            {
                throw new InvalidOperationException($"npm ci in {folder} failed ({npm.ExitCode}): {await output}{await errors}");
            }
        }
    }
}
