using System.Text.Encodings.Web;
using System.Text.Json;
using SyncTooling.Validation;

namespace SyncTooling.Cli.Output;

/// <summary>
/// The secrets given to this run (in any argument that holds a location, and the secret credential variables), in
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
            .Concat(SecretVariables.Select(environment).OfType<string>()));

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
