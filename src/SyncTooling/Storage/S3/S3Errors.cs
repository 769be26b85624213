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
        "BadDigest", "IncompleteBody", "OperationAborted",
    };

    /// <summary>Returns the classified exception, or null when <paramref name="exception"/> is a cancellation the caller asked for.</summary>
    public static Exception? Classify(Exception exception, S3Endpoint endpoint, string where, CancellationToken cancellationToken)
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
                return FromService(s3, s3.ErrorCode, s3.StatusCode, endpoint, where);
            case AmazonServiceException service when service.StatusCode != 0:
                return FromService(service, service.ErrorCode, service.StatusCode, endpoint, where);
            case AmazonClientException client when client.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase):
                return new StorageException(
                    StorageErrorKind.AccessDenied,
                    endpoint.IsGcs
                        ? $"No credentials found for bucket '{endpoint.Bucket}' on gs://: set GS_ACCESS_KEY_ID and GS_SECRET_ACCESS_KEY to a Cloud Storage HMAC key."
                        : $"No AWS credentials found for bucket '{endpoint.Bucket}': set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run where a container or instance role is available.",
                    client);
            case AmazonServiceException or AmazonClientException when IsNetwork(exception.InnerException):
            case HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException:
                return new StorageException(StorageErrorKind.Transient, $"Network error on {where}: {NetworkErrors.Describe(exception, endpoint.Url)}", exception);
            default:
                return new StorageException(StorageErrorKind.Permanent, $"S3 request on {where} failed: {exception.Message}", exception);
        }
    }

    private static StorageException FromService(Exception ex, string? code, HttpStatusCode status, S3Endpoint endpoint, string where)
    {
        string bucket = endpoint.Bucket;
        string keyId = endpoint.IsGcs ? "GS_ACCESS_KEY_ID" : "AWS_ACCESS_KEY_ID or the profile in use";
        string secret = endpoint.IsGcs ? "GS_SECRET_ACCESS_KEY" : "the secret access key";
        var (kind, message) = code switch
        {
            "NoSuchBucket" => (StorageErrorKind.NotFound, $"Bucket '{bucket}' does not exist (NoSuchBucket): check the bucket name, the region and the endpoint."),
            "NoSuchKey" => (StorageErrorKind.NotFound, $"{where} does not exist (NoSuchKey)."),
            "AccessDenied" => (StorageErrorKind.AccessDenied, $"Access to bucket '{bucket}' was denied (AccessDenied): check that the credentials in use may read and write this bucket and prefix."),
            "InvalidAccessKeyId" => (StorageErrorKind.AccessDenied, $"The server does not know the access key id (InvalidAccessKeyId) for bucket '{bucket}': check {keyId}, and the endpoint."),
            "SignatureDoesNotMatch" => (StorageErrorKind.AccessDenied, $"The request signature does not match (SignatureDoesNotMatch) for bucket '{bucket}': check {secret}, the region and the endpoint."),

            // Not a credentials problem: the keys are fine, the space is not; a retry only fails again.
            "QuotaExceeded" => (StorageErrorKind.Permanent, $"The storage quota is exceeded (QuotaExceeded) writing {where}: free space or have the quota of the user or bucket '{bucket}' raised; retrying will not help."),
            "ExpiredToken" or "TokenRefreshRequired" => (StorageErrorKind.AccessDenied, $"The session token has expired ({code}) for bucket '{bucket}': get fresh temporary credentials."),
            "InvalidToken" => (StorageErrorKind.AccessDenied, $"The session token is not valid (InvalidToken) for bucket '{bucket}': check AWS_SESSION_TOKEN or the profile in use."),
            "AccountProblem" or "AllAccessDisabled" or "UserSuspended" => (StorageErrorKind.AccessDenied, $"The account is disabled or suspended ({code}) for bucket '{bucket}': the keys are known but may not be used; ask the storage's administrator."),
            "InvalidObjectState" => (StorageErrorKind.Permanent, $"{where} is archived (InvalidObjectState): restore it before reading."),
            "XAmzContentSHA256Mismatch" when !endpoint.Compatible && endpoint.ServiceUrl is not null => (StorageErrorKind.Permanent, $"The server rejected the upload's checksum ({code}) on {where}: this S3-compatible server does not take the SDK's aws-chunked uploads with trailing checksums; leave request_checksum_calculation and AWS_REQUEST_CHECKSUM_CALCULATION unset (custom endpoints default to when_required)."),
            "RequestTimeTooSkewed" => (StorageErrorKind.Transient, $"This machine's clock differs too much from the server's (RequestTimeTooSkewed) on {where}: set the clock right (NTP)."),
            _ when code is not null && TransientCodes.Contains(code) => (StorageErrorKind.Transient, $"S3 answered {code} ({(int)status}) on {where}; retrying may help."),
            _ when (int)status >= 500 => (StorageErrorKind.Transient, $"S3 answered {(int)status} {code} on {where}; retrying may help."),
            _ when status == HttpStatusCode.NotFound => (StorageErrorKind.NotFound, $"{where} does not exist (404)."),
            _ when status == HttpStatusCode.Forbidden => (StorageErrorKind.AccessDenied, $"Access to bucket '{bucket}' was denied (403 {code}{(string.IsNullOrWhiteSpace(ex.Message) ? string.Empty : ": " + ex.Message)}) on {where}: check the credentials and their permissions."),
            _ => (StorageErrorKind.Permanent, $"S3 answered {(int)status} {code} on {where}{(string.IsNullOrWhiteSpace(ex.Message) ? "." : ": " + ex.Message)}"),
        };
        return new StorageException(kind, message, ex) { ContainerMissing = code == "NoSuchBucket" };
    }

    private static bool IsNetwork(Exception? inner) => inner is HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException;
}
