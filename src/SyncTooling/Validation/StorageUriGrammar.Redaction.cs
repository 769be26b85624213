// Shared source, like StorageUriGrammar.cs: netstandard2.0-compatible and free of I/O.
using System;
using System.Collections.Generic;
using System.Globalization;

namespace SyncTooling.Validation;

/// <summary>Redaction: what of a location may be shown, and the secrets in it.</summary>
#if SYNCTOOLING_PUBLIC
public
#else
internal
#endif
static partial class StorageUriGrammar
{
    // Where an option ends when a location is redacted: '&', and '#' or a second '?' the grammar refuses anyway.
    private static readonly char[] QuerySeparators = { '&', '#', '?' };

    // The only options whose values are ever shown; any other value (a secret, a misspelled secret) is shown as ***.
    // Azure's account (a name) and endpoint (a URL, user info hidden) are shown; account_key, sas_token, sig and connection_string are not.
    private static readonly string[] ShownOptions =
    {
        "region", "endpoint_override", "scheme", "force_path_style", "request_checksum_calculation", "user", "account", "endpoint", "profile",
        "disable_checksum",
    };

    // An Azure connection string's secret parts, wherever one was pasted: each value runs to the next ';' or '&'.
    private static readonly string[] ConnectionStringSecrets = { "AccountKey=", "SharedAccessSignature=" };

    /// <summary>The text with control characters written as <c>\uXXXX</c>, so a message quoting user input stays one line.</summary>
    public static string Printable(string text)
    {
        if (!HasControlCharacter(text))
        {
            return text;
        }

        var sb = new System.Text.StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            if (char.IsControl(c))
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Hides secrets so a location can be shown or logged: user info (<c>user:pass@</c>, also inside an option value
    /// such as <c>endpoint_override=http://user:pass@host</c>) and the value of every query option except the few
    /// that never hold one (region, endpoint_override, scheme, force_path_style, request_checksum_calculation, user,
    /// account, endpoint), and the key or signature of an Azure connection string pasted anywhere.
    /// Names are compared after percent-decoding and in any case, so <c>Secret%5FKey=</c> is hidden too;
    /// '&amp;' and '?' end an option. A query segment without '=' and everything after a '#' are hidden as well: they
    /// are where the tail of a secret written with an unescaped '&amp;' or '#' ends up. Azure's
    /// <c>container@account.dfs.core.windows.net</c> is no user info and is shown; <c>user:password@</c> is hidden in every scheme.
    /// </summary>
    public static string Redact(string value) => Redact(value, null);

    /// <summary>
    /// The secrets <see cref="Redact(string)"/> hides in <paramref name="text"/>, as written and percent-decoded: the
    /// values of options other than the shown ones, and user info. Lets a tool mask them wherever they turn up.
    /// </summary>
    public static List<string> SecretValues(string text)
    {
        var found = new List<string>();
        Redact(text ?? string.Empty, found);
        return found;
    }

    private static string Redact(string value, List<string>? found)
    {
        if (value is null)
        {
            return string.Empty;
        }

        // Locations have no fragment, so whatever follows a '#' can only be the tail of a secret whose '#' was not
        // written as %23: it is all hidden.
        string fragment = string.Empty;
        int hash = value.IndexOf('#');
        if (hash >= 0)
        {
            string tail = value.Substring(hash + 1);
            fragment = tail.Length == 0 ? "#" : "#***";
            AddSecret(tail, found);
            value = value.Substring(0, hash);
        }

        int q = value.IndexOf('?');
        string head = MaskConnectionStringSecrets(RedactUserInfo(q < 0 ? value : value.Substring(0, q), found), found);
        if (q < 0)
        {
            return head + fragment;
        }

        var result = new System.Text.StringBuilder(head).Append('?');
        int start = q + 1;
        bool afterHidden = false;
        while (start <= value.Length)
        {
            int end = value.IndexOfAny(QuerySeparators, start);
            if (end < 0)
            {
                end = value.Length;
            }

            result.Append(RedactPair(value.Substring(start, end - start), afterHidden, found, out afterHidden));
            if (end < value.Length)
            {
                result.Append(value[end]);
            }

            start = end + 1;
        }

        return result.Append(fragment).ToString();
    }

    private static void AddSecret(string raw, List<string>? found)
    {
        if (found is null || raw.Length == 0)
        {
            return;
        }

        found.Add(raw);
        found.Add(DecodeValue(raw));
    }

    /// <summary>True when a location carries credentials: a secret option (any spelling) or a password in user info, also nested in an option value.</summary>
    public static bool HasCredentials(string value)
    {
        if (value is null)
        {
            return false;
        }

        if (HasConnectionStringSecret(value))
        {
            return true;
        }

        int q = value.IndexOf('?');
        if (HasPassword(q < 0 ? value : value.Substring(0, q)))
        {
            return true;
        }

        if (q < 0)
        {
            return false;
        }

        foreach (string pair in value.Substring(q + 1).Split(QuerySeparators))
        {
            int eq = pair.IndexOf('=');
            string name = DecodeName(eq < 0 ? pair : pair.Substring(0, eq));
            string decoded = eq < 0 ? string.Empty : DecodeValue(pair.Substring(eq + 1));
            if (Array.IndexOf(SecretOptions, name) >= 0 || HasPassword(decoded) || HasConnectionStringSecret(decoded))
            {
                return true;
            }
        }

        return false;
    }

    // A bare word (no '=') is hidden: after a hidden option it is the tail of a secret with an unescaped '&' (and is
    // a secret to mask); elsewhere it is no option anyway. hidden: whether this pair's value was hidden.
    private static string RedactPair(string pair, bool afterHidden, List<string>? found, out bool hidden)
    {
        int eq = pair.IndexOf('=');
        hidden = false;
        if (eq < 0)
        {
            if (pair.Length == 0)
            {
                return pair;
            }

            if (afterHidden)
            {
                AddSecret(pair, found);
                hidden = true;
            }

            return "***";
        }

        string rawValue = pair.Substring(eq + 1);
        if (Array.IndexOf(ShownOptions, DecodeName(pair.Substring(0, eq))) < 0)
        {
            if (rawValue.Length == 0)
            {
                return pair;
            }

            found?.Add(rawValue);
            found?.Add(DecodeValue(rawValue));
            hidden = true;
            return pair.Substring(0, eq + 1) + "***";
        }

        string decoded = DecodeValue(rawValue);
        string redacted = MaskConnectionStringSecrets(RedactUserInfo(decoded, found), found);
        return pair.Substring(0, eq + 1) + (ReferenceEquals(redacted, decoded) ? rawValue : redacted);
    }

    // "scheme://user:pass@host..." -> "scheme://***@host..."; returns the same instance when there is nothing to hide.
    private static string RedactUserInfo(string text, List<string>? found)
    {
        int at = UserInfoEnd(text, out int authorityStart);
        if (at < 0)
        {
            return text;
        }

        string userInfo = text.Substring(authorityStart, at - authorityStart);
        if (IsAzureScheme(text.Substring(0, authorityStart - 3)) && userInfo.IndexOf(':') < 0)
        {
            // container@account.dfs.core.windows.net: a container name, not user info.
            return text;
        }

        found?.Add(userInfo);
        int colon = userInfo.IndexOf(':');
        if (colon >= 0)
        {
            found?.Add(userInfo.Substring(colon + 1));
        }

        return text.Substring(0, authorityStart) + "***" + text.Substring(at);
    }

    // "...;AccountKey=secret;..." -> "...;AccountKey=***;..."; returns the same instance when there is nothing to hide.
    private static string MaskConnectionStringSecrets(string text, List<string>? found)
    {
        foreach (string name in ConnectionStringSecrets)
        {
            int start = text.IndexOf(name, StringComparison.OrdinalIgnoreCase);
            while (start >= 0)
            {
                int valueStart = start + name.Length;
                int end = text.IndexOfAny(new[] { ';', '&' }, valueStart);
                string secret = end < 0 ? text.Substring(valueStart) : text.Substring(valueStart, end - valueStart);
                if (secret.Length > 0)
                {
                    found?.Add(secret);
                    text = text.Substring(0, valueStart) + "***" + (end < 0 ? string.Empty : text.Substring(end));
                }

                start = text.IndexOf(name, valueStart, StringComparison.OrdinalIgnoreCase);
            }
        }

        return text;
    }

    /// <summary>True when the text holds an Azure connection string's <c>AccountKey=</c> or <c>SharedAccessSignature=</c>, in any case.</summary>
    private static bool HasConnectionStringSecret(string text)
    {
        foreach (string marker in ConnectionStringSecrets)
        {
            if (text.IndexOf(marker, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasPassword(string text)
    {
        int at = UserInfoEnd(text, out int authorityStart);
        return at >= 0 && text.IndexOf(':', authorityStart, at - authorityStart) >= 0;
    }

    // The index of the '@' that ends user info in the authority after the first "://", or -1.
    private static int UserInfoEnd(string text, out int authorityStart)
    {
        authorityStart = -1;
        int schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return -1;
        }

        authorityStart = schemeEnd + 3;
        int authorityEnd = text.IndexOfAny(new[] { '/', '?', '#' }, authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = text.Length;
        }

        return authorityEnd == authorityStart ? -1 : text.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
    }
}
