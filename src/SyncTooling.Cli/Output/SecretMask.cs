using System.Text.Encodings.Web;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using SyncTooling.Validation;

namespace SyncTooling.Cli.Output;

/// <summary>
/// The secrets given to this run (in any argument that holds a location, the secret credential variables, and the
/// secret keys and session tokens the AWS credential chain loads from the profile files), in
/// every form they can be printed in: as written, percent-decoded, percent-encoded and JSON-escaped. Every line the
/// tool writes passes through <see cref="Apply"/>, so a secret that reaches an exception message, a stack trace or
/// a JSON event is still shown as <c>***</c>; locations are redacted before that by the grammar.
/// </summary>
internal sealed class SecretMask
{
    // Shorter values are not secrets worth the damage masking them would do to the output.
    private const int MinimumLength = 4;

    private static readonly string[] SecretVariables = ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "GS_SECRET_ACCESS_KEY"];

    private readonly string[] _forms;

    private SecretMask(IEnumerable<string> secrets)
    {
        _forms = secrets
            .SelectMany(s => new[] { s, Decode(s), Uri.EscapeDataString(s), JsonEncodedText.Encode(s, JavaScriptEncoder.Default).ToString() })
            .Where(f => f.Length >= MinimumLength)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(f => f.Length)
            .ToArray();
    }

    public static SecretMask From(IEnumerable<string> arguments, Func<string, string?> environment) =>
        new(arguments.SelectMany(StorageUriGrammar.SecretValues)
            .Concat(SecretVariables.Select(environment).OfType<string>())
            .Concat(ProfileSecrets()));

    // The S3 client falls back to the SDK's chain, which reads ~/.aws/credentials and ~/.aws/config (or the files
    // AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE name): a server that echoes a session token or key from there
    // must be masked as well. Only the files are read (no network); every profile, so AWS_PROFILE needs no mirroring.
    private static string[] ProfileSecrets()
    {
        try
        {
            return new CredentialProfileStoreChain().ListProfiles()
                .SelectMany(p => new[] { p.Options.SecretKey, p.Options.Token })
                .OfType<string>()
                .ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or AmazonClientException)
        {
            // An unreadable profile file: the SDK fails on it the same way, so it can hold no secret this run sends.
            return [];
        }
    }

    public string Apply(string text)
    {
        foreach (string form in _forms)
        {
            text = text.Replace(form, "***", StringComparison.Ordinal);
        }

        return text;
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
