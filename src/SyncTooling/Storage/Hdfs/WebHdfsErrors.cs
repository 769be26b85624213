using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace SyncTooling.Storage.Hdfs;

/// <summary>Classifies WebHDFS failures once, from the status code and the <c>RemoteException</c> body.</summary>
internal static class WebHdfsErrors
{
    // Server-side conditions that clear up by themselves: failover, safe mode at startup, busy namenode.
    private static readonly HashSet<string> TransientExceptions = new(StringComparer.Ordinal)
    {
        "RetriableException", "StandbyException", "SafeModeException", "ServerTooBusyException",
    };

    private static readonly HashSet<string> DeniedExceptions = new(StringComparer.Ordinal)
    {
        "AccessControlException", "SecurityException", "AuthorizationException", "AuthenticationException",
    };

    /// <summary>Builds the exception for a response that was not a success; reads its body.</summary>
    public static async Task<StorageException> FromResponseAsync(HttpResponseMessage response, string where, CancellationToken cancellationToken)
    {
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var (exception, message) = ParseRemoteException(body);
        int status = (int)response.StatusCode;
        string detail = exception is null ? $"{status} {response.ReasonPhrase}" : $"{status} {exception}: {message}";
        var kind = exception switch
        {
            _ when exception is not null && TransientExceptions.Contains(exception) => StorageErrorKind.Transient,
            _ when exception is not null && DeniedExceptions.Contains(exception) => StorageErrorKind.AccessDenied,
            "FileNotFoundException" => StorageErrorKind.NotFound,
            _ when status >= 500 || response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout => StorageErrorKind.Transient,
            _ when response.StatusCode == HttpStatusCode.NotFound => StorageErrorKind.NotFound,
            _ when response.StatusCode == HttpStatusCode.Unauthorized => StorageErrorKind.AccessDenied,

            // WebHDFS answers 403 for any IOException (ParentNotDirectoryException, ...); only a bare 403 is a denial.
            _ when response.StatusCode == HttpStatusCode.Forbidden && exception is null => StorageErrorKind.AccessDenied,
            _ => StorageErrorKind.Permanent,
        };
        string advice = kind switch
        {
            StorageErrorKind.AccessDenied => " Check the user (the 'user' option, or HADOOP_USER_NAME) and the path's permissions.",
            StorageErrorKind.Transient => " Retrying may help.",
            _ => string.Empty,
        };
        return new StorageException(kind, $"WebHDFS answered {detail} on {where}.{advice}");
    }

    /// <summary>
    /// Returns the classified exception for a transport failure against <paramref name="endpoint"/> (the namenode or
    /// the datanode the request went to), or null for a cancellation the caller asked for.
    /// </summary>
    public static Exception? FromTransport(Exception exception, string where, Uri endpoint, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        StorageException => exception,
        HttpRequestException or IOException or SocketException or OperationCanceledException or TimeoutException =>
            new StorageException(StorageErrorKind.Transient, $"Network error on {where}: {NetworkErrors.Describe(exception, endpoint)}", exception),
        _ => null,
    };

    private static (string? Exception, string? Message) ParseRemoteException(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("RemoteException", out var remote)
                && remote.ValueKind == JsonValueKind.Object)
            {
                string? name = remote.TryGetProperty("exception", out var e) ? e.GetString() : null;
                string? message = remote.TryGetProperty("message", out var m) ? m.GetString() : null;
                return (name, message);
            }
        }
        catch (JsonException)
        {
            // A proxy's HTML error page: the status code alone decides.
        }

        return (null, null);
    }
}
