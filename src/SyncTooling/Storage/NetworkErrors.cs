using System.Net.Sockets;
using System.Security.Authentication;

namespace SyncTooling.Storage;

/// <summary>Names the real cause of a transport failure (refused, unresolvable name, TLS against plain HTTP, timeout) and the endpoint it met.</summary>
internal static class NetworkErrors
{
    /// <summary>One sentence for <paramref name="exception"/> against <paramref name="endpoint"/> (an absolute URL).</summary>
    public static string Describe(Exception exception, Uri endpoint)
    {
        string at = $"{endpoint.Host}:{endpoint.Port}";
        var socket = Find<SocketException>(exception);
        var tls = Find<AuthenticationException>(exception);
        return socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => $"connection refused at {at}: nothing listens there; check the endpoint and that the server is running.",
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"the host name '{endpoint.Host}' does not resolve: check the endpoint's host name and this machine's DNS.",
            _ when tls is not null && tls.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase) =>
                $"the TLS certificate of {at} is not accepted ({tls.Message.TrimEnd('.')}).",
            _ when tls is not null => $"the TLS handshake with {at} failed ({tls.Message.TrimEnd('.')}): the server may speak plain HTTP; use scheme=http or an http:// endpoint.",
            _ when exception is TimeoutException || Find<TimeoutException>(exception) is not null || exception is OperationCanceledException =>
                $"no answer from {at} within the request timeout; retrying may help.",
            _ => $"{exception.GetBaseException().Message.TrimEnd('.')} ({at}).",
        };
    }

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T match)
            {
                return match;
            }
        }

        return null;
    }
}
