using System.Globalization;
using McMaster.Extensions.CommandLineUtils;
using SyncTooling.Storage;
using SyncTooling.Sync;

namespace SyncTooling.Cli.Output;

/// <summary>
/// Shows one sync: a live progress line on a terminal, a plain line per file when redirected, JSON events with
/// --json, nothing with --quiet; then the summary. Report is called from parallel transfers, so it locks.
/// The live line is cut to <paramref name="width"/> columns (0: not cut), since a wrapped line can no longer be redrawn in place.
/// </summary>
internal sealed class SyncReporter(IConsole console, OutputMode mode, TimeProvider timeProvider, bool verbose, int width = 0) : IProgress<SyncProgress>
{
    // Redrawing the live line more often than this only costs terminal time.
    private static readonly TimeSpan RedrawEvery = TimeSpan.FromMilliseconds(100);
    private readonly object _gate = new();
    private long _started = timeProvider.GetTimestamp();
    private long _lastDraw;
    private bool _lineShown;

    public void Start(string operation, StorageUri source, StorageUri destination, bool dryRun)
    {
        _started = timeProvider.GetTimestamp();
        switch (mode)
        {
            case OutputMode.Json:
                JsonLines.Write(console, w =>
                {
                    w.WriteString("event", "start");
                    w.WriteString("operation", operation);
                    w.WriteString("source", source.ToString());
                    w.WriteString("destination", destination.ToString());
                    w.WriteBoolean("dryRun", dryRun);
                });
                break;
            case OutputMode.Plain or OutputMode.Terminal:
                console.Out.WriteLine($"{(dryRun ? "Dry run: " : string.Empty)}{operation} {source} -> {destination}");
                break;
        }
    }

    public void Report(SyncProgress value)
    {
        lock (_gate)
        {
            int transferred = value.FilesDone - value.FilesFailed;
            switch (mode)
            {
                // A failed file is never reported as done: it gets its own event and line, and filesDone counts transfers only.
                case OutputMode.Json when value.LastKey is not null && value.LastKeyError is not null:
                    JsonLines.Write(console, w =>
                    {
                        w.WriteString("event", "failed");
                        w.WriteString("key", value.LastKey);
                        w.WriteString("message", value.LastKeyError);
                        w.WriteNumber("filesFailed", value.FilesFailed);
                        w.WriteNumber("filesTotal", value.FilesTotal);
                    });
                    break;
                case OutputMode.Json when value.LastKey is not null:
                    JsonLines.Write(console, w =>
                    {
                        w.WriteString("event", "file");
                        w.WriteString("key", value.LastKey);
                        w.WriteNumber("filesDone", transferred);
                        w.WriteNumber("filesTotal", value.FilesTotal);
                        w.WriteNumber("bytesDone", value.BytesDone);
                        w.WriteNumber("bytesTotal", value.BytesTotal);
                    });
                    break;
                case OutputMode.Plain when value.LastKey is not null && value.LastKeyError is not null:
                    console.Out.WriteLine($"failed {Shown(value.LastKey)}: {Shown(value.LastKeyError)}");
                    break;
                case OutputMode.Plain when value.LastKey is not null:
                    console.Out.WriteLine($"done {Shown(value.LastKey)} ({transferred}/{value.FilesTotal})");
                    break;
                case OutputMode.Terminal:
                    DrawLine(value);
                    break;
            }
        }
    }

    public void Summary(SyncResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            ClearLine();
            switch (mode)
            {
                case OutputMode.Json:
                    WriteJsonSummary(result);
                    break;
                case OutputMode.Plain or OutputMode.Terminal:
                    WriteTextSummary(result);
                    break;
            }

            if (mode != OutputMode.Quiet)
            {
                foreach (var warning in result.Refused.Concat(result.Skipped))
                {
                    console.Error.WriteLine($"warning: {Shown(warning.Key)}: {Shown(warning.Message)}");
                }
            }

            foreach (var failure in result.Failures)
            {
                console.Error.WriteLine($"error: {Shown(failure.Key)}: {failure.Message}");
            }
        }
    }

    private void DrawLine(SyncProgress value)
    {
        long now = timeProvider.GetTimestamp();
        bool last = value.FilesDone == value.FilesTotal;
        if (verbose && value.LastKey is not null)
        {
            ClearLine();
            console.Out.WriteLine(value.LastKeyError is null ? "done " + Shown(value.LastKey) : $"failed {Shown(value.LastKey)}: {Shown(value.LastKeyError)}");
        }
        else if (!last && _lineShown && timeProvider.GetElapsedTime(_lastDraw, now) < RedrawEvery)
        {
            return;
        }

        _lastDraw = now;
        var elapsed = timeProvider.GetElapsedTime(_started, now);
        double rate = elapsed.TotalSeconds > 0 ? value.BytesDone / elapsed.TotalSeconds : 0;
        string eta = rate > 0 ? Units.Eta(TimeSpan.FromSeconds((value.BytesTotal - value.BytesDone) / rate)) : "-";

        string line = $"{value.FilesDone - value.FilesFailed}/{value.FilesTotal} files{(value.FilesFailed > 0 ? $" ({value.FilesFailed} failed)" : string.Empty)}, {Units.Bytes(value.BytesDone)}/{Units.Bytes(value.BytesTotal)}, {Units.Bytes((long)rate)}/s, ETA {eta}";

        // The last column stays free: a terminal wraps a line that fills it, and \r would then redraw only the last part.
        if (width > 1 && line.Length > width - 1)
        {
            line = line[..(width - 1)];
        }

        // \r returns to the line start and ESC[K erases the old text: one line that updates in place.
        console.Out.Write("\r\u001b[K" + line);
        _lineShown = true;
    }

    /// <summary>Ends the live line (kept as it is), so a message printed next starts on a line of its own.</summary>
    public void EndLine()
    {
        lock (_gate)
        {
            if (_lineShown)
            {
                console.Out.WriteLine();
                _lineShown = false;
            }
        }
    }

    private void ClearLine()
    {
        if (_lineShown)
        {
            console.Out.Write("\r\u001b[K");
            _lineShown = false;
        }
    }

    private void WriteTextSummary(SyncResult result)
    {
        if (result.DryRun)
        {
            foreach (string key in result.Transferred)
            {
                console.Out.WriteLine("would transfer " + Shown(key));
            }

            foreach (string key in result.Deleted)
            {
                console.Out.WriteLine("would delete " + Shown(key));
            }

            console.Out.WriteLine(
                $"Dry run: would transfer {result.Transferred.Count} files ({Units.Bytes(result.Plan.BytesToTransfer)}) and delete {result.Deleted.Count}; " +
                $"{result.Plan.UnchangedCount} unchanged. Nothing was changed.");
            return;
        }

        string kept = result.ExtraneousKept > 0 ? $", {result.ExtraneousKept} extraneous kept" : string.Empty;
        kept += result.Refused.Count > 0 ? $", {result.Refused.Count} refused" : string.Empty;
        kept += result.Skipped.Count > 0 ? $", {result.Skipped.Count} skipped" : string.Empty;
        console.Out.WriteLine(
            $"Transferred {result.Transferred.Count} files ({Units.Bytes(result.BytesTransferred)}), {result.Plan.UnchangedCount} unchanged, " +
            $"{result.Deleted.Count} deleted, {result.Failures.Count} failed{kept} in {Units.Seconds(result.Elapsed)}.");
    }

    private static void WriteSummaryFields(System.Text.Json.Utf8JsonWriter w, SyncResult result)
    {
        w.WriteString("event", "summary");
        w.WriteBoolean("dryRun", result.DryRun);
        w.WriteNumber("filesTransferred", result.Transferred.Count);
        w.WriteNumber("bytesTransferred", result.DryRun ? result.Plan.BytesToTransfer : result.BytesTransferred);
        w.WriteNumber("skipped", result.Plan.UnchangedCount);
        w.WriteNumber("deleted", result.Deleted.Count);
        w.WriteNumber("failed", result.Failures.Count);
        w.WriteNumber("seconds", Math.Round(result.Elapsed.TotalSeconds, 3));
        w.WriteStartArray("failures");
        foreach (var failure in result.Failures)
        {
            w.WriteStartObject();
            w.WriteString("key", failure.Key);
            w.WriteString("message", failure.Message);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteKeyMessages(w, "refused", result.Refused);

        // "skipped" already counts unchanged files, so the entries skipped for their type get their own name.
        WriteKeyMessages(w, "skippedEntries", result.Skipped);
    }

    private static void WriteKeyMessages(System.Text.Json.Utf8JsonWriter w, string name, IReadOnlyList<SyncFailure> entries)
    {
        w.WriteStartArray(name);
        foreach (var entry in entries)
        {
            w.WriteStartObject();
            w.WriteString("key", entry.Key);
            w.WriteString("message", entry.Message);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private void WriteJsonSummary(SyncResult result) => JsonLines.Write(console, w => WriteSummaryFields(w, result));

    /// <summary>A key from a remote may hold control characters; shown raw, they could rewrite the terminal.</summary>
    internal static string Shown(string key) => StorageKey.Printable(key);

    /// <summary>For callers that print a custom line with the same numbers (watch).</summary>
    public static string Describe(SyncResult result) =>
        string.Create(CultureInfo.InvariantCulture, $"{result.Transferred.Count} transferred, {result.Plan.UnchangedCount} unchanged, {result.Deleted.Count} deleted, {result.Failures.Count} failed");
}
