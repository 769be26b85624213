using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace SyncTooling.Storage.S3;

/// <summary>Classifies S3 failures once, into <see cref="StorageException"/>s with one clear line each (never a secret).</summary>
internal static class S3Errors
{
    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable", "Throttling", "ThrottlingException",
        "RequestTimeTooSkewed", "BadDigest", "IncompleteBody", "OperationAborted",
    };

    /// <summary>Returns the classified exception, or null when <paramref name="exception"/> is a cancellation the caller asked for.</summary>
    public static Exception? Classify(Exception exception, string bucket, string where, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        switch (exception)
        {
            case StorageException:
                return exception;
            case AmazonS3Exception s3:
                return FromService(s3, s3.ErrorCode, s3.StatusCode, bucket, where);
            case AmazonServiceException service when service.StatusCode != 0:
                return FromService(service, service.ErrorCode, service.StatusCode, bucket, where);
            case AmazonClientException client when client.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase):
                return new StorageException(
                    StorageErrorKind.AccessDenied,
                    $"No AWS credentials found for bucket '{bucket}': set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run where a container or instance role is available.",
                    client);
            case AmazonServiceException or AmazonClientException when IsNetwork(exception.InnerException):
            case HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException:
                return new StorageException(StorageErrorKind.Transient, $"Network error on {where}: {exception.GetBaseException().Message}", exception);
            default:
                return new StorageException(StorageErrorKind.Permanent, $"S3 request on {where} failed: {exception.Message}", exception);
        }
    }

    private static StorageException FromService(Exception ex, string? code, HttpStatusCode status, string bucket, string where)
    {
        var (kind, message) = code switch
        {
            "NoSuchBucket" => (StorageErrorKind.Permanent, $"Bucket '{bucket}' does not exist (NoSuchBucket): check the bucket name, the region and the endpoint."),
            "NoSuchKey" => (StorageErrorKind.NotFound, $"{where} does not exist (NoSuchKey)."),
            "AccessDenied" => (StorageErrorKind.AccessDenied, $"Access to bucket '{bucket}' was denied (AccessDenied): check that the credentials in use may read and write this bucket and prefix."),
            "InvalidAccessKeyId" => (StorageErrorKind.AccessDenied, $"The server does not know the access key id (InvalidAccessKeyId) for bucket '{bucket}': check AWS_ACCESS_KEY_ID or the profile in use, and the endpoint."),
            "SignatureDoesNotMatch" => (StorageErrorKind.AccessDenied, $"The request signature does not match (SignatureDoesNotMatch) for bucket '{bucket}': check the secret access key, the region and the endpoint."),
            _ when code is not null && TransientCodes.Contains(code) => (StorageErrorKind.Transient, $"S3 answered {code} ({(int)status}) on {where}; retrying may help."),
            _ when (int)status >= 500 => (StorageErrorKind.Transient, $"S3 answered {(int)status} {code} on {where}; retrying may help."),
            _ when status == HttpStatusCode.NotFound => (StorageErrorKind.NotFound, $"{where} does not exist (404)."),
            _ when status == HttpStatusCode.Forbidden => (StorageErrorKind.AccessDenied, $"Access to bucket '{bucket}' was denied (403 {code}: {ex.Message}) on {where}: check the credentials, their permissions and the account's quotas."),
            _ => (StorageErrorKind.Permanent, $"S3 answered {(int)status} {code} on {where}: {ex.Message}"),
        };
        return new StorageException(kind, message, ex);
    }

    private static bool IsNetwork(Exception? inner) => inner is HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException;
}
