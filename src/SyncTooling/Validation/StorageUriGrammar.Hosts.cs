// Shared source, like StorageUriGrammar.cs: netstandard2.0-compatible and free of I/O.
using System;
using System.Collections.Generic;
using System.Globalization;

namespace SyncTooling.Validation;

/// <summary>Hosts and ports: what the backends can build a URL from.</summary>
#if SYNCTOOLING_PUBLIC
public
#else
internal
#endif
static partial class StorageUriGrammar
{
    // An endpoint as S3Endpoint hands it to the SDK: "host:port" (http or https added) or a full http(s) URL.
    private static string? CheckEndpoint(string value)
    {
        int schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        string rest = value;
        if (schemeEnd >= 0)
        {
            string endpointScheme = value.Substring(0, schemeEnd);
            if (endpointScheme != "http" && endpointScheme != "https")
            {
                return "the scheme is http or https";
            }

            rest = value.Substring(schemeEnd + 3);
        }

        int slash = rest.IndexOf('/');
        string hostPort = slash < 0 ? rest : rest.Substring(0, slash);
        if (hostPort.IndexOf('@') >= 0)
        {
            return "credentials do not belong in the endpoint";
        }

        if (rest.IndexOfAny(new[] { '?', '#', '\\', ' ' }) >= 0)
        {
            return "it has a query, a fragment, a backslash or a space";
        }

        return CheckHostPort(hostPort);
    }

    /// <summary>
    /// host, host:port, [IPv6] or [IPv6]:port with a port of 1 to 65535; null when valid, else what is wrong. The
    /// backends build URLs from it, so it must also be what <see cref="Uri"/> reads as exactly that authority.
    /// </summary>
    private static string? CheckHostPort(string hostPort)
    {
        string host = hostPort;
        string? port = null;
        if (hostPort.StartsWith("[", StringComparison.Ordinal))
        {
            int close = hostPort.IndexOf(']');
            if (close < 0)
            {
                return "'[' opens an IPv6 address that is never closed with ']'";
            }

            host = hostPort.Substring(0, close + 1);
            string after = hostPort.Substring(close + 1);
            if (after.Length > 0 && after[0] != ':')
            {
                return "only :port may follow ']'";
            }

            port = after.Length > 0 ? after.Substring(1) : null;
            if (!System.Net.IPAddress.TryParse(host.Substring(1, host.Length - 2), out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return "'" + host + "' is not an IPv6 address";
            }
        }
        else
        {
            int colon = hostPort.IndexOf(':');
            if (colon >= 0 && hostPort.IndexOf(':', colon + 1) >= 0)
            {
                return "an IPv6 address goes in brackets: [::1]:9000";
            }

            if (colon >= 0)
            {
                host = hostPort.Substring(0, colon);
                port = hostPort.Substring(colon + 1);
            }

            if (host.Length == 0)
            {
                return "the host is empty";
            }

            foreach (char c in host)
            {
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'))
                {
                    return "host names use letters, digits, '-', '.' and '_'";
                }
            }
        }

        if (port != null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p < 1 || p > 65535))
        {
            return "the port is 1 to 65535, not '" + port + "'";
        }

        if (!Uri.TryCreate("http://" + hostPort + "/", UriKind.Absolute, out var uri) || uri.PathAndQuery != "/" || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return "'" + hostPort + "' is not a host name or address";
        }

        return null;
    }

    // A host name component, as the SDK requires: dot-separated labels of letters, digits and '-', no '-' at either end.
    private static bool IsRegionName(string value)
    {
        foreach (string label in value.Split('.'))
        {
            if (label.Length == 0 || label[0] == '-' || label[label.Length - 1] == '-')
            {
                return false;
            }

            foreach (char c in label)
            {
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
