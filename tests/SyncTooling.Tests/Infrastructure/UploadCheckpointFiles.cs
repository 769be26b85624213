using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>
/// What the tests read of resumable uploads: the records in the tests' private state folder (as the tool and the
/// library write them), and the part numbers of the UploadPart requests a <see cref="FaultProxy"/> saw.
/// </summary>
internal static partial class UploadCheckpointFiles
{
    /// <summary>The record of <paramref name="fullKey"/> (bucket key or blob name) in the tests' state folder, or null.</summary>
    public static JsonElement? Find(string fullKey)
    {
        string uploads = Path.Combine(PrivateStateDirectory.Path, "uploads");
        if (!Directory.Exists(uploads))
        {
            return null;
        }

        foreach (string file in Directory.EnumerateFiles(uploads, "*.json", SearchOption.AllDirectories))
        {
            try
            {
                var root = JsonDocument.Parse(File.ReadAllText(file)).RootElement.Clone();
                if (root.GetProperty("Key").GetString() == fullKey)
                {
                    return root;
                }
            }
            catch (Exception ex) when (ex is IOException or JsonException)
            {
                // Being replaced right now: the next look sees the new one.
            }
        }

        return null;
    }

    /// <summary>The numbers of the parts the record of <paramref name="fullKey"/> holds as sent, in order.</summary>
    public static int[] RecordedParts(string fullKey) =>
        Find(fullKey) is { } c ? [.. c.GetProperty("Parts").EnumerateArray().Select(p => p.GetProperty("Number").GetInt32()).Order()] : [];

    /// <summary>The part numbers of the S3 UploadPart requests the proxy saw, in order.</summary>
    public static int[] PartsSent(FaultProxy proxy) =>
        [.. proxy.RequestLines.Select(l => PartNumber().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Order()];

    /// <summary>The block numbers of the Azure Put Block requests the proxy saw, in order (ids are base64 of a 32-character prefix and the number).</summary>
    public static int[] BlocksSent(FaultProxy proxy) =>
        [.. proxy.RequestLines.Where(l => l.StartsWith("PUT ", StringComparison.Ordinal) && l.Contains("comp=block&", StringComparison.Ordinal)).Select(l => BlockId().Match(Uri.UnescapeDataString(l))).Select(m => int.Parse(System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(m.Groups[1].Value))[32..], CultureInfo.InvariantCulture)).Order()];

    [GeneratedRegex(@"^PUT \S*[?&]partNumber=(\d+)")]
    private static partial Regex PartNumber();

    [GeneratedRegex(@"blockid=([A-Za-z0-9+/=]+)")]
    private static partial Regex BlockId();
}
