using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;

namespace SyncTooling.Storage.S3;

/// <summary>
/// Turns a storage URI and the environment into an S3 client configuration, the way Ray/pyarrow read
/// <c>s3://bucket/prefix?region=..&amp;endpoint_override=..&amp;scheme=..&amp;force_path_style=..</c>.
/// </summary>
internal sealed record S3Endpoint(
    string Bucket,
    string KeyPrefix,
    string? ServiceUrl,
    string Region,
    bool ForcePathStyle,
    bool Compatible,
    bool IsGcs,
    AWSCredentials? Credentials)
{
    /// <summary>
    /// <c>disable_checksum=true</c> (rclone's <c>--s3-disable-checksum</c>): multipart uploads carry no md5chksum, so no
    /// whole-file MD5 pass precedes their first part. Parts are still checked against their MD5s.
    /// </summary>
    public bool DisableChecksum { get; init; }

    /// <summary>Google Cloud Storage's S3-compatible XML API.</summary>
    public const string GcsServiceUrl = "https://storage.googleapis.com";

    /// <summary>Where requests go, for error messages: the custom endpoint, or AWS's regional one (virtual-hosted unless path style).</summary>
    public Uri Url => new(ServiceUrl ?? $"https://{(ForcePathStyle ? string.Empty : Bucket + ".")}s3.{Region}.amazonaws.com");

    public static S3Endpoint Resolve(StorageUri location, S3StorageOptions options)
    {
        bool isGcs = location.Scheme == "gs";
        var env = options.Environment;
        var profile = ProfileFor(location, env);
        string? endpoint = location.GetOption("endpoint_override")
            ?? (isGcs ? NonEmpty(env("GS_ENDPOINT_URL")) : NonEmpty(env("AWS_ENDPOINT_URL_S3")) ?? NonEmpty(env("AWS_ENDPOINT_URL")))
            ?? NonEmpty(profile?.EndpointUrl);
        if (endpoint is not null && !endpoint.Contains("://", StringComparison.Ordinal))
        {
            endpoint = (location.GetOption("scheme") ?? "https") + "://" + endpoint;
        }
        else if (endpoint is not null && location.GetOption("scheme") is { } scheme)
        {
            endpoint = scheme + endpoint[endpoint.IndexOf("://", StringComparison.Ordinal)..];
        }

        if (isGcs)
        {
            endpoint ??= GcsServiceUrl;
        }

        bool custom = endpoint is not null;
        string region = location.GetOption("region")
            ?? NonEmpty(env("AWS_REGION"))
            ?? NonEmpty(env("AWS_DEFAULT_REGION"))
            ?? profile?.Region?.SystemName
            ?? (isGcs ? "auto" : "us-east-1");

        // Servers other than AWS (s3rver, older MinIO and Ceph, GCS) store aws-chunked bodies verbatim:
        // default to plain bodies with Content-MD5 there, and keep the SDK's checksums against AWS.
        string checksum = location.GetOption("request_checksum_calculation")
            ?? NonEmpty(env("AWS_REQUEST_CHECKSUM_CALCULATION"))?.ToLowerInvariant()
            ?? (custom ? "when_required" : "when_supported");

        bool pathStyle = location.GetOption("force_path_style") is { } p ? p == "true" : custom && !isGcs;
        string prefix = location.Path.Length > 0 ? location.Path + "/" : string.Empty;
        return new S3Endpoint(location.Authority!, prefix, endpoint, region, pathStyle, checksum == "when_required", isGcs, CredentialsFor(location, options, isGcs, profile))
        {
            DisableChecksum = location.GetOption("disable_checksum") == "true",
        };
    }

    /// <summary>
    /// The profile of <c>?profile=NAME</c> (aws-cli's <c>--profile</c>), else of <c>AWS_PROFILE</c>, from the shared config
    /// and credentials files: its credentials, region and endpoint_url apply as aws-cli applies them.
    /// </summary>
    private static CredentialProfile? ProfileFor(StorageUri location, Func<string, string?> env)
    {
        if ((location.GetOption("profile") ?? NonEmpty(env("AWS_PROFILE"))) is not { } name)
        {
            return null;
        }

        return new CredentialProfileStoreChain().TryGetProfile(name, out var profile)
            ? profile
            : throw new StorageException(
                StorageErrorKind.AccessDenied,
                $"AWS profile '{name}' is in neither the shared config file nor the credentials file (~/.aws/config and ~/.aws/credentials, or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE); add it there or name another profile.");
    }

    /// <summary>The server's host (and port when not the default) as messages name it, e.g. <c>127.0.0.1:9000</c>.</summary>
    public string Host => ServiceUrl is not null && Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var url) ? url.Authority : $"s3.{Region}.amazonaws.com";

    public AmazonS3Config ToConfig(S3StorageOptions options, S3Connections connections)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = ForcePathStyle,
            MaxErrorRetry = 0,

            // The SDK retries "stale connection" errors (any reset) up to 10 times on top of MaxErrorRetry, which
            // multiplied S3StorageOptions.Retries by 11 against an endpoint that resets everything.
            MaxStaleConnectionRetries = 0,
            Timeout = options.RequestTimeout,
            HttpClientFactory = connections,
            RequestChecksumCalculation = Compatible ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED,
            ResponseChecksumValidation = Compatible ? ResponseChecksumValidation.WHEN_REQUIRED : ResponseChecksumValidation.WHEN_SUPPORTED,
        };
        if (ServiceUrl is not null)
        {
            config.ServiceURL = ServiceUrl;
            config.AuthenticationRegion = Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(Region);
        }

        return config;
    }

    private static AWSCredentials? CredentialsFor(StorageUri location, S3StorageOptions options, bool isGcs, CredentialProfile? profile)
    {
        if (options.Credentials is not null)
        {
            return options.Credentials;
        }

        if (location.GetOption("access_key") is { } accessKey && location.GetOption("secret_key") is { } secretKey)
        {
            return location.GetOption("session_token") is { } token
                ? new SessionAWSCredentials(accessKey, secretKey, token)
                : new BasicAWSCredentials(accessKey, secretKey);
        }

        if (isGcs && NonEmpty(options.Environment("GS_ACCESS_KEY_ID")) is { } gsKey && NonEmpty(options.Environment("GS_SECRET_ACCESS_KEY")) is { } gsSecret)
        {
            return new BasicAWSCredentials(gsKey, gsSecret);
        }

        // A profile named in the location beats the environment's keys, as aws-cli's --profile does; AWS_PROFILE does
        // not (the SDK's chain below reads AWS_ACCESS_KEY_ID first, then AWS_PROFILE, as aws-cli does).
        if (profile is not null && location.GetOption("profile") is not null
            && AWSCredentialsFactory.TryGetAWSCredentials(profile, new CredentialProfileStoreChain(), out var fromProfile))
        {
            return fromProfile;
        }

        // The standard chain: environment, shared credentials/config files and AWS_PROFILE, container and instance roles.
        return null;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
