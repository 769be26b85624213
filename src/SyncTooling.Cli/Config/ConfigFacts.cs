using System.Globalization;
using System.Text.Json;
using SyncTooling.Validation;

namespace SyncTooling.Cli.Config;

/// <summary>
/// What `sync validate` knows about a configuration, from a JSON file with SyncConfig's fields and/or options.
/// A field present in the file or an option given counts as "set", as an assignment does for the analyzers.
/// </summary>
internal sealed class ConfigFacts
{
    private static readonly string[] Fields =
        ["UploadDir", "Syncer", "SyncOnCheckpoint", "SyncPeriod", "SyncTimeout", "SyncArtifacts", "SyncArtifactsOnCheckpoint", "Exclude"];

    public SyncConfigFacts Facts { get; } = new() { UploadDirKnown = true, Syncer = SyncerChoice.Auto, SyncArtifacts = false };

    public List<string> Exclude { get; } = [];

    public static async Task<ConfigFacts> LoadAsync(string path, TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        var facts = new ConfigFacts();
        string shown = StorageUriGrammar.Printable(path);
        byte[] bytes = await BoundedFile.ReadAsync(path, "--config", "a JSON file", "a SyncConfig file holds a few fields.", timeProvider, cancellationToken).ConfigureAwait(false);
        JsonDocument document;
        try
        {
            // From the bytes, not a decoded string: invalid UTF-8 is an error here, not silently replaced.
            document = JsonDocument.Parse(bytes.AsMemory(Utf8Bom(bytes)), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new UsageException($"--config '{shown}' is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new UsageException($"--config '{shown}' must hold a JSON object with SyncConfig's fields: {string.Join(", ", Fields)}.");
            }

            try
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    facts.Apply(shown, property);
                }
            }
            catch (InvalidOperationException ex)
            {
                // JsonDocument checks the text of names and strings only when they are read: invalid UTF-8, a lone surrogate.
                throw new UsageException($"--config '{shown}' is not valid JSON: {ex.Message}");
            }
        }

        return facts;
    }

    public void SetSyncer(string value, string source) => Facts.Syncer = value.ToLowerInvariant() switch
    {
        "auto" => SyncerChoice.Auto,
        "none" or "null" or "disabled" => SyncerChoice.Disabled,
        "custom" => SyncerChoice.Custom,
        _ => throw new UsageException($"{source} is '{value}'; it must be auto, none (syncing disabled) or custom."),
    };

    /// <summary>Seconds as a number, or a TimeSpan ("00:05:00"). Zero and negative values parse: SYNC005 reports them.</summary>
    public static TimeSpan ParseDuration(string text, string source)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && double.IsFinite(seconds) && Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span))
        {
            return span;
        }

        throw new UsageException($"{source} is '{text}'; it must be a number of seconds or hh:mm:ss.");
    }

    public static bool ParseBool(string text, string source) => text.ToLowerInvariant() switch
    {
        "true" or "yes" or "1" => true,
        "false" or "no" or "0" => false,
        _ => throw new UsageException($"{source} is '{text}'; it must be true or false."),
    };

    private void Apply(string path, JsonProperty property)
    {
        string where = $"--config '{path}': {StorageUriGrammar.Printable(property.Name)}";
        var value = property.Value;
        switch (Fields.FirstOrDefault(f => string.Equals(f, property.Name, StringComparison.OrdinalIgnoreCase)))
        {
            case "UploadDir":
                Facts.UploadDir = value.ValueKind == JsonValueKind.Null ? null : String(value, where);
                break;
            case "Syncer":
                Facts.Syncer = value.ValueKind == JsonValueKind.Null ? SyncerChoice.Disabled : SyncerFrom(String(value, where), where);
                break;
            case "SyncOnCheckpoint":
                _ = Bool(value, where);
                Facts.SyncOnCheckpointSet = true;
                break;
            case "SyncArtifactsOnCheckpoint":
                _ = Bool(value, where);
                Facts.SyncArtifactsOnCheckpointSet = true;
                break;
            case "SyncArtifacts":
                Facts.SyncArtifacts = Bool(value, where);
                break;
            case "SyncPeriod":
                Facts.SyncPeriod = Duration(value, where);
                break;
            case "SyncTimeout":
                Facts.SyncTimeout = Duration(value, where);
                break;
            case "Exclude" when value.ValueKind == JsonValueKind.Array:
                Exclude.AddRange(value.EnumerateArray().Select(e => String(e, where)));
                break;
            case "Exclude":
                throw new UsageException($"{where} must be a list of patterns.");
            default:
                throw new UsageException($"{where} is not a SyncConfig field; allowed: {string.Join(", ", Fields)}.");
        }
    }

    private static int Utf8Bom(byte[] bytes) => bytes is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0;

    private SyncerChoice SyncerFrom(string text, string where)
    {
        SetSyncer(text, where);
        return Facts.Syncer;
    }

    private static string String(JsonElement value, string where) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new UsageException($"{where} must be a string.");

    private static bool Bool(JsonElement value, string where) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new UsageException($"{where} must be true or false."),
    };

    private static TimeSpan Duration(JsonElement value, string where) => value.ValueKind switch
    {
        JsonValueKind.Number => ParseDuration(value.GetRawText(), where),
        JsonValueKind.String => ParseDuration(value.GetString()!, where),
        _ => throw new UsageException($"{where} must be seconds (a number) or \"hh:mm:ss\"."),
    };
}
