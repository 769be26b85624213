using System.Net.Sockets;
using Azure;
using Azure.Identity;

namespace SyncTooling.Storage.Azure;

/// <summary>Classifies Azure Blob Storage failures once, into <see cref="StorageException"/>s with one clear line each (never a secret).</summary>
internal static class AzureErrors
{
    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "ServerBusy", "OperationTimedOut", "InternalError", "Md5Mismatch", "InvalidMd5",
    };

    /// <summary>Returns the classified exception, or null when <paramref name="exception"/> is a cancellation the caller asked for.</summary>
    public static Exception? Classify(Exception exception, AzureEndpoint endpoint, string where, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        return exception switch
        {
            StorageException => exception,

            // The SDK's retry policy wraps its attempts' failures; its retries are off, but classify the last one if it ever runs.
            AggregateException { InnerExceptions.Count: > 0 } aggregate => Classify(aggregate.InnerExceptions[^1], endpoint, where, cancellationToken),
            RequestFailedException { Status: 0 } network => new StorageException(StorageErrorKind.Transient, $"Network error on {where}: {network.GetBaseException().Message}", network),
            RequestFailedException failed => FromService(failed, endpoint, where),
            CredentialUnavailableException or AuthenticationFailedException => new StorageException(
                StorageErrorKind.AccessDenied,
                $"No Azure credential for account '{endpoint.Account}': {AzureEndpoint.Tried}; DefaultAzureCredential said: {FirstLine(exception.Message)}",
                exception),
            HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException =>
                new StorageException(StorageErrorKind.Transient, $"Network error on {where}: {exception.GetBaseException().Message}", exception),
            _ => new StorageException(StorageErrorKind.Permanent, $"Azure request on {where} failed: {FirstLine(exception.Message)}", exception),
        };
    }

    private static StorageException FromService(RequestFailedException ex, AzureEndpoint endpoint, string where)
    {
        string? code = ex.ErrorCode;
        var (kind, message) = code switch
        {
            "ContainerNotFound" => (StorageErrorKind.NotFound, $"Container '{endpoint.Container}' does not exist in storage account '{endpoint.Account}' (ContainerNotFound): check the container name, the account and the endpoint."),
            "BlobNotFound" => (StorageErrorKind.NotFound, $"{where} does not exist (BlobNotFound)."),
            _ when code is not null && TransientCodes.Contains(code) => (StorageErrorKind.Transient, $"Azure answered {code} ({ex.Status}) on {where}; retrying may help."),
            _ when ex.Status is 408 or 429 or >= 500 => (StorageErrorKind.Transient, $"Azure answered {ex.Status} {code} on {where}; retrying may help."),
            _ when ex.Status is 401 or 403 => (StorageErrorKind.AccessDenied, $"Azure refused the credential from {endpoint.CredentialSource} for container '{endpoint.Container}' in storage account '{endpoint.Account}' ({ex.Status} {code}): check the key or token, that it belongs to this account, and its permissions on this container."),
            _ when ex.Status == 404 => (StorageErrorKind.NotFound, $"{where} does not exist (404 {code})."),
            _ => (StorageErrorKind.Permanent, $"Azure answered {ex.Status} {code} on {where}."),
        };
        return new StorageException(kind, message, ex) { ContainerMissing = code == "ContainerNotFound" };
    }

    private static string FirstLine(string text)
    {
        int end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
