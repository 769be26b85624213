using System.Text;
using System.Text.Json;
using McMaster.Extensions.CommandLineUtils;

namespace SyncTooling.Cli.Output;

/// <summary>Writes one JSON object per line (NDJSON), so a consumer can parse each line as it arrives.</summary>
internal static class JsonLines
{
    private static readonly object Gate = new();

    public static void Write(IConsole console, Action<Utf8JsonWriter> writeProperties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        string line = Encoding.UTF8.GetString(buffer.ToArray());

        // Progress arrives from parallel transfers; a line must never interleave with another.
        lock (Gate)
        {
            console.Out.WriteLine(line);
        }
    }
}
