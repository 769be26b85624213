using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;

namespace SyncTooling.Storage.S3;

/// <summary>
/// Deletes an object whose key is not valid UTF-8. AWSSDK.S3 sends keys as UTF-8 text, so it cannot name such a key;
/// this sends one DELETE with the key's raw bytes percent-encoded in the path, signed with AWS Signature Version 4
/// (S3 flavour: the path encoded once, the empty payload's hash).
/// </summary>
internal static class S3RawKeyDelete
{
    private const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>Deletes the object with the raw key <paramref name="rawKey"/>; one that is already gone is not an error.</summary>
    /// <exception cref="StorageException">The server refused (permanent) or failed (transient).</exception>
    /// <exception cref="HttpRequestException">The request did not get an answer (the caller classifies it).</exception>
    public static async Task<bool> DeleteAsync(S3Endpoint endpoint, ImmutableCredentials credentials, byte[] rawKey, TimeSpan timeout, DateTime now, string where, CancellationToken cancellationToken)
    {
        var (uri, path) = ObjectUri(endpoint, rawKey);
        using var request = new HttpRequestMessage(HttpMethod.Delete, uri);
        foreach (var (name, value) in SignedHeaders(endpoint.Region, credentials, uri, path, now))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var http = new HttpClient { Timeout = timeout };
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        int status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound)
        {
            return true;
        }

        throw new StorageException(
            status >= 500 || status == 429 ? StorageErrorKind.Transient : StorageErrorKind.Permanent,
            $"S3 answered {status} {response.ReasonPhrase} on delete of {where}.");
    }

    /// <summary>The object's URL with every byte of the key but unreserved ones and '/' percent-encoded, exactly as signed.</summary>
    internal static (Uri Uri, string Path) ObjectUri(S3Endpoint endpoint, byte[] rawKey)
    {
        var baseUri = new Uri(endpoint.ServiceUrl ?? $"https://s3.{endpoint.Region}.amazonaws.com");
        string authority = endpoint.ForcePathStyle ? baseUri.Authority : endpoint.Bucket + "." + baseUri.Authority;
        var path = new StringBuilder(endpoint.ForcePathStyle ? "/" + Encode(Encoding.UTF8.GetBytes(endpoint.Bucket)) : string.Empty);
        path.Append('/').Append(Encode(rawKey));

        // Canonicalization would unescape some sequences and so change the path the signature covers.
        return (new Uri($"{baseUri.Scheme}://{authority}{path}", new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }), path.ToString());
    }

    /// <summary>x-amz-content-sha256, x-amz-date, x-amz-security-token (with session credentials) and Authorization.</summary>
    internal static List<(string Name, string Value)> SignedHeaders(string region, ImmutableCredentials credentials, Uri uri, string path, DateTime now)
    {
        string amzDate = now.ToUniversalTime().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var headers = new List<(string Name, string Value)>
        {
            ("host", uri.IsDefaultPort ? uri.Host : uri.Authority),
            ("x-amz-content-sha256", EmptyPayloadHash),
            ("x-amz-date", amzDate),
        };
        if (credentials.UseToken)
        {
            headers.Add(("x-amz-security-token", credentials.Token));
        }

        string authorization = Authorization("DELETE", path, region, credentials, headers, EmptyPayloadHash, amzDate);
        headers.RemoveAt(0); // HttpClient sends Host itself, from the URL.
        headers.Add(("Authorization", authorization));
        return headers;
    }

    /// <summary>The SigV4 Authorization value; <paramref name="headers"/> are the signed ones, lower-case, in name order.</summary>
    internal static string Authorization(string method, string path, string region, ImmutableCredentials credentials, IReadOnlyList<(string Name, string Value)> headers, string payloadHash, string amzDate)
    {
        string date = amzDate[..8];
        string signedNames = string.Join(';', headers.Select(h => h.Name));
        string canonical = string.Join('\n', method, path, string.Empty, string.Concat(headers.Select(h => h.Name + ":" + h.Value.Trim() + "\n")), signedNames, payloadHash);
        string scope = $"{date}/{region}/s3/aws4_request";
        string toSign = string.Join('\n', "AWS4-HMAC-SHA256", amzDate, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))));
        byte[] key = Encoding.UTF8.GetBytes("AWS4" + credentials.SecretKey);
        foreach (string part in new[] { date, region, "s3", "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        string signature = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
        return $"AWS4-HMAC-SHA256 Credential={credentials.AccessKey}/{scope}, SignedHeaders={signedNames}, Signature={signature}";
    }

    private static string Encode(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length * 3);
        foreach (byte b in bytes)
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~' or (byte)'/')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
            }
        }

        return text.ToString();
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
