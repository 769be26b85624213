using SyncTooling.Validation;

namespace SyncTooling.Cli.Commands;

/// <summary>
/// aws-cli's --endpoint-url, --region and --profile: written into every s3:// location of the command as the URI
/// options the library reads (endpoint_override, region, profile), so the settings travel with the location.
/// </summary>
internal static class S3CommandOptions
{
    /// <summary>The location with each given flag added as its URI option; a flag that contradicts the location is a usage error.</summary>
    public static string Apply(string location, string what, IEnumerable<(string Flag, string Option, string? Value)> flags)
    {
        if (!StorageUriGrammar.TryParse(location, out var parts, out _) || parts!.Scheme != "s3")
        {
            return location;
        }

        foreach (var (flag, option, value) in flags)
        {
            if (value is null)
            {
                continue;
            }

            string encoded = Encode(value);
            if (!StorageUriGrammar.TryParse("s3://bucket?" + option + "=" + encoded, out _, out string? error))
            {
                throw new UsageException($"{flag} '{StorageUriGrammar.Printable(value)}' is not usable: {Reason(error ?? string.Empty)}.");
            }

            string? given = parts.Query.Where(o => o.Key == option).Select(o => o.Value).FirstOrDefault();
            if (given is null)
            {
                location += (location.Contains('?', StringComparison.Ordinal) ? "&" : "?") + option + "=" + encoded;
            }
            else if (given != value)
            {
                throw new UsageException($"{what} sets {option}={StorageUriGrammar.Printable(given)} and {flag} is '{StorageUriGrammar.Printable(value)}'; give one of them.");
            }
        }

        return location;
    }

    // "'s3://bucket?region=x' is not a supported storage location: REASON. Supported: ..." -> REASON.
    private static string Reason(string error)
    {
        const string Marker = "storage location: ";
        int start = error.IndexOf(Marker, StringComparison.Ordinal);
        string reason = start < 0 ? error : error[(start + Marker.Length)..];
        int end = reason.IndexOf(". Supported:", StringComparison.Ordinal);
        return end < 0 ? reason.TrimEnd('.') : reason[..end];
    }

    // Only what would end or garble the option: the location stays readable where it is printed.
    private static string Encode(string value) =>
        value.Replace("%", "%25", StringComparison.Ordinal).Replace("&", "%26", StringComparison.Ordinal).Replace("#", "%23", StringComparison.Ordinal).Replace("?", "%3F", StringComparison.Ordinal);
}
