using McMaster.Extensions.CommandLineUtils;
using SyncTooling.Cli.Demo;
using SyncTooling.Cli.Output;
using SyncTooling.Storage;
using SyncTooling.Sync;

namespace SyncTooling.Cli.Commands;

/// <summary>
/// `sync demo`: the first thing a new user runs. Up to a local "remote", an unchanged re-sync that copies
/// nothing, down into a fresh folder, and a SHA-256 comparison; no cloud account.
/// </summary>
[Command("demo", Description = "Sync a sample directory up to a local 'remote' and back down, and verify the copy.", ExtendedHelpText = Help.Demo)]
internal sealed class DemoCommand(CliContext context) : CommandBase(context)
{
    /// <summary>The file a demo leaves in DIR: only then may a later demo replace DIR's three folders.</summary>
    internal const string MarkerName = ".synctooling-demo";

    [Option("--dir <DIR>", Description = "Where to put the demo's source, remote and restore folders (default ./artifacts/demo). A previous demo's folders are replaced; any others that are not empty are refused.")]
    public string Directory { get; set; } = Path.Combine("artifacts", "demo");

    protected override async Task<int> ExecuteAsync()
    {
        string root = Path.GetFullPath(Directory);
        string source = Path.Combine(root, "source");
        string remote = Path.Combine(root, "remote");
        string restore = Path.Combine(root, "restore");
        CheckSafeToReplace(root, [source, remote, restore]);

        // The marker says the three folders are the demo's own, so the next demo into this DIR may replace them.
        System.IO.Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, MarkerName), "Written by `sync demo`: source/, remote/ and restore/ here are the demo's and are replaced by the next demo.\n");
        foreach (string folder in new[] { source, remote, restore })
        {
            if (System.IO.Directory.Exists(folder))
            {
                System.IO.Directory.Delete(folder, recursive: true);
            }
        }

        DemoTree.Write(source);
        Say($"1. Created a sample run directory with {DemoTree.Files.Count} files: {source}");

        var options = new SyncOptions { Exclude = [DemoTree.ExcludedPattern] };
        var engine = new SyncEngine(Context.Registry, timeProvider: Context.TimeProvider);
        var up = await engine.SyncAsync(StorageUri.Parse(source), StorageUri.Parse(remote), options, null, Context.Interrupted).ConfigureAwait(false);
        Say($"2. sync up {source} {remote} -x '{DemoTree.ExcludedPattern}'");
        Say($"   transferred {up.Transferred.Count} files ({Units.Bytes(up.BytesTransferred)}); '{DemoTree.ExcludedPattern}' files stayed behind.");

        var again = await engine.SyncAsync(StorageUri.Parse(source), StorageUri.Parse(remote), options, null, Context.Interrupted).ConfigureAwait(false);
        Say($"3. sync up again with no changes: transferred {again.Transferred.Count} files, {again.Plan.UnchangedCount} unchanged.");

        var down = await engine.SyncAsync(StorageUri.Parse(remote), StorageUri.Parse(restore), options, null, Context.Interrupted).ConfigureAwait(false);
        Say($"4. sync down {remote} {restore}: transferred {down.Transferred.Count} files ({Units.Bytes(down.BytesTransferred)}).");

        var expected = DemoTree.Hashes(source);
        var matcher = new ExcludeMatcher(options.Exclude);
        foreach (string excluded in expected.Keys.Where(matcher.IsExcluded).ToList())
        {
            expected.Remove(excluded);
        }

        var actual = DemoTree.Hashes(restore);
        string? problem =
            !up.Succeeded || !down.Succeeded ? "a transfer failed"
            : again.Transferred.Count != 0 ? $"the unchanged re-sync transferred {again.Transferred.Count} files"
            : !expected.SequenceEqual(actual) ? "the restored folder differs from the source"
            : null;
        if (problem is not null)
        {
            return Fail(ExitCodes.SyncFailed, "demo failed: " + problem + ".", null);
        }

        Say($"5. Verified: the {actual.Count} restored files are identical to the source (SHA-256).");
        Say("Demo complete. Next: dotnet sync up <dir> s3://bucket/prefix, or dotnet sync --help (a bare `sync` is coreutils' /usr/bin/sync).");
        return ExitCodes.Success;
    }

    /// <summary>
    /// Refuses (usage error, nothing changed) a DIR whose folders may hold someone's files: a file-system root or
    /// the home folder outright, and any DIR with a non-empty source, remote or restore that no demo marked as its own.
    /// </summary>
    private static void CheckSafeToReplace(string root, string[] folders)
    {
        string trimmed = Path.TrimEndingDirectorySeparator(root);
        string home = Path.TrimEndingDirectorySeparator(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (string.Equals(trimmed, Path.TrimEndingDirectorySeparator(Path.GetPathRoot(root) ?? string.Empty), comparison))
        {
            throw new UsageException($"--dir '{root}' is a file-system root; the demo writes its folders only below a folder of its own. Nothing was changed; give e.g. --dir /tmp/sync-demo.");
        }

        if (home.Length > 0 && string.Equals(trimmed, home, comparison))
        {
            throw new UsageException($"--dir '{root}' is your home folder; the demo writes its folders only below a folder of its own. Nothing was changed; give e.g. --dir /tmp/sync-demo.");
        }

        if (File.Exists(Path.Combine(root, MarkerName)))
        {
            return;
        }

        foreach (string folder in folders)
        {
            bool inUse = System.IO.Directory.Exists(folder)
                ? System.IO.Directory.EnumerateFileSystemEntries(folder).Any()
                : File.Exists(folder);
            if (inUse)
            {
                throw new UsageException(
                    $"--dir '{root}' already has a non-empty '{Path.GetFileName(folder)}' that no earlier demo wrote (no {MarkerName} file there); " +
                    "the demo replaces its source, remote and restore folders, so it refuses rather than delete your files. Nothing was changed; give an empty or new --dir.");
            }
        }
    }

    private void Say(string line)
    {
        if (Json)
        {
            JsonLines.Write(Console, w =>
            {
                w.WriteString("event", "demo");
                w.WriteString("message", line);
            });
        }
        else if (!ErrorsOnly)
        {
            Console.Out.WriteLine(line);
        }
    }
}
