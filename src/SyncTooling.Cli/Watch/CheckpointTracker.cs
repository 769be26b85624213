using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SyncTooling.Runs;

namespace SyncTooling.Cli.Watch;

/// <summary>
/// Finds checkpoint folders (top-level <c>checkpoint_*</c>) in a run directory that are complete and not yet
/// uploaded in their current state.
/// </summary>
/// <remarks>
/// A checkpoint is complete when it holds the marker file <see cref="CompleteMarker"/>, or else when its file
/// list (paths, sizes, modification times) has not changed for the settle time, as seen by two scans at
/// least that far apart on the <see cref="TimeProvider"/>. Ray 1.x's <c>.is_checkpoint</c> is not a marker:
/// Ray writes it when it creates the folder, before the data. A checkpoint that changes after its upload is
/// uploaded again once it settles.
/// </remarks>
internal sealed class CheckpointTracker(string runDir, TimeProvider timeProvider, TimeSpan settle)
{
    /// <summary>A writer that creates this file in a checkpoint folder last says "complete" without waiting.</summary>
    public const string CompleteMarker = ".complete";

    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);

    /// <summary>Scans the run directory; returns the checkpoints ready to upload, oldest name first.</summary>
    public IReadOnlyList<ReadyCheckpoint> Scan()
    {
        var now = timeProvider.GetUtcNow();
        var ready = new List<ReadyCheckpoint>();
        if (!Directory.Exists(runDir))
        {
            return ready;
        }

        foreach (var dir in new DirectoryInfo(runDir).EnumerateDirectories().Where(d => RunSyncPolicy.IsCheckpointName(d.Name)).OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            string fingerprint;
            try
            {
                fingerprint = Fingerprint(dir);
            }
            catch (DirectoryNotFoundException)
            {
                continue; // deleted while we looked: nothing to upload
            }

            if (!_states.TryGetValue(dir.Name, out var state) || state.Fingerprint != fingerprint)
            {
                state = new State(fingerprint, now, _states.GetValueOrDefault(dir.Name)?.Uploaded);
                _states[dir.Name] = state;
            }

            bool complete = File.Exists(Path.Combine(dir.FullName, CompleteMarker)) || now - state.Since >= settle;
            if (complete && state.Uploaded != fingerprint)
            {
                ready.Add(new ReadyCheckpoint(dir.Name, fingerprint));
            }
        }

        return ready;
    }

    /// <summary>Records that a checkpoint was uploaded as it was when <see cref="Scan"/> returned it.</summary>
    public void Uploaded(ReadyCheckpoint checkpoint) => _states[checkpoint.Name] = _states[checkpoint.Name] with { Uploaded = checkpoint.Fingerprint };

    private static string Fingerprint(DirectoryInfo dir)
    {
        var lines = new StringBuilder();
        var files = dir.EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(f => (Path: Path.GetRelativePath(dir.FullName, f.FullName), f.Length, f.LastWriteTimeUtc.Ticks))
            .OrderBy(f => f.Path, StringComparer.Ordinal);
        foreach (var (path, length, ticks) in files)
        {
            lines.Append(CultureInfo.InvariantCulture, $"{path}\0{length}\0{ticks}\n");
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(lines.ToString())));
    }

    private sealed record State(string Fingerprint, DateTimeOffset Since, string? Uploaded);
}

/// <summary>A checkpoint folder ready to upload, and the state it was in.</summary>
internal sealed record ReadyCheckpoint(string Name, string Fingerprint);
