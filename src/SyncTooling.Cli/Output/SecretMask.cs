using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SyncTooling.Cli.Config;
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
        var given = secrets.Where(s => s.Length > 0).ToList();
        // Most runs carry no secret at all (a local sync, --version): no forms to build, no JSON encoder to load.
        _forms = given.Count == 0 ? [] : given
            .SelectMany(s => new[] { s, Decode(s), Uri.EscapeDataString(s), JsonEncodedText.Encode(s, JavaScriptEncoder.Default).ToString() })
            .Where(f => f.Length >= MinimumLength)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(f => f.Length)
            .ToArray();
    }

    public static SecretMask From(IEnumerable<string> arguments, Func<string, string?> environment) =>
        new(arguments.SelectMany(StorageUriGrammar.SecretValues)
            .Concat(SecretVariables.Select(environment).OfType<string>())
            .Concat(ProfileSecrets(environment)));

    // The S3 client falls back to the SDK's chain, which reads ~/.aws/credentials and ~/.aws/config (or the files
    // AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE name): a server that echoes a session token or key from there
    // must be masked as well. Only the files are read (no network), every profile, so AWS_PROFILE needs no mirroring.
    // They are read here as plain INI lines rather than through the SDK's profile store, so a run that never talks to
    // S3 (--version, a local sync) does not load the SDK at start-up; any line whose key names a secret counts, in any
    // section, so the mask errs on the side of hiding more than the SDK would use.
    internal static IEnumerable<string> ProfileSecrets(Func<string, string?> environment)
    {
        string home = environment("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string[] files =
        [
            environment("AWS_SHARED_CREDENTIALS_FILE") is { Length: > 0 } credentials ? credentials : Path.Combine(home, ".aws", "credentials"),
            environment("AWS_CONFIG_FILE") is { Length: > 0 } config ? config : Path.Combine(home, ".aws", "config"),
        ];
        var secrets = new List<string>();
        foreach (string file in files)
        {
            // Bounded: a profile "file" that is a named pipe or /dev/zero must not hang or exhaust a run that may
            // never talk to S3. An unreadable one the SDK fails on the same way, so it holds no secret this run sends.
            byte[]? bytes = File.Exists(file) ? BoundedFile.TryReadStart(file, ProfileFileLimit, ProfileFileTimeout) : null;
            foreach (string line in bytes is null ? [] : Encoding.UTF8.GetString(bytes).Split('\n'))
            {
                if (SecretValue(line) is { } value)
                {
                    secrets.Add(value);
                    // "key = value ; comment": the SDK may or may not keep the comment; mask both readings.
                    if (value.IndexOfAny(['#', ';']) is > 0 and var comment)
                    {
                        secrets.Add(value[..comment].TrimEnd());
                    }
                }
            }
        }

        return secrets;
    }

    // Real profile files hold a few kilobytes; what lies beyond this is not read.
    private const int ProfileFileLimit = 4 * 1024 * 1024;

    // How long a profile file may take to read before it is passed over.
    private static readonly TimeSpan ProfileFileTimeout = TimeSpan.FromSeconds(2);

    private static readonly string[] SecretKeys = ["aws_secret_access_key", "aws_session_token", "aws_security_token"];

    private static string? SecretValue(string line)
    {
        int equals = line.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return null;
        }

        string key = line[..equals].Trim();
        return SecretKeys.Any(k => key.Equals(k, StringComparison.OrdinalIgnoreCase)) && line[(equals + 1)..].Trim() is { Length: > 0 } value ? value : null;
    }

    public string Apply(string text)
    {
        if (_forms.Length == 0)
        {
            return text;
        }

        foreach (string form in _forms)
        {
            text = text.Replace(form, "***", StringComparison.Ordinal);
        }

        return text;
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
