using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;
using SyncTooling.Validation;

namespace SyncTooling.Storage.Azure;

/// <summary>
/// Turns an <c>az://</c>, <c>abfs://</c> or <c>abfss://</c> location and the environment into a container client,
/// trying credentials in Azure's conventions: a key or SAS token in the location, then
/// <c>AZURE_STORAGE_CONNECTION_STRING</c>, <c>AZURE_STORAGE_ACCOUNT</c> + <c>AZURE_STORAGE_KEY</c>,
/// <c>AZURE_STORAGE_SAS_TOKEN</c>, and last <c>DefaultAzureCredential</c>.
/// </summary>
internal sealed record AzureEndpoint(string Container, string KeyPrefix, string Account, BlobContainerClient Client, string CredentialSource)
{
    /// <summary>What the chain looks at, for the one line a missing credential gets.</summary>
    public const string Tried =
        "tried option account_key or sas_token, AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_ACCOUNT + AZURE_STORAGE_KEY, AZURE_STORAGE_SAS_TOKEN and DefaultAzureCredential";

    public static AzureEndpoint Resolve(StorageUri location, AzureBlobStorageOptions options)
    {
        StorageUriGrammar.SplitAzureAuthority(location.Authority!, out string container, out string? hostAccount);
        string prefix = location.Path.Length > 0 ? location.Path + "/" : string.Empty;
        var env = options.Environment;
        var clientOptions = ClientOptions(options);
        string? endpointOption = location.GetOption("endpoint");

        // A connection string names its own account and endpoint; it wins unless the location brings its own secret.
        if (location.GetOption("account_key") is null && location.GetOption("sas_token") is null &&
            NonEmpty(env("AZURE_STORAGE_CONNECTION_STRING")) is { } connectionString)
        {
            BlobServiceClient service;
            try
            {
                service = new BlobServiceClient(connectionString, clientOptions);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
            {
                throw new StorageException(StorageErrorKind.AccessDenied, "AZURE_STORAGE_CONNECTION_STRING is not a valid connection string (AccountName=...;AccountKey=...;BlobEndpoint=... or ...;SharedAccessSignature=...); its value is not shown.");
            }

            // A host in the location (abfss://c@account.dfs.core.windows.net) names an endpoint as surely as endpoint= does.
            string? named = endpointOption ?? (hostAccount is null ? null : DefaultEndpoint(location.Authority!, hostAccount));
            RefuseDisagreement(location, service, named, location.GetOption("account") ?? hostAccount);
            return new AzureEndpoint(container, prefix, service.AccountName, service.GetBlobContainerClient(container), "AZURE_STORAGE_CONNECTION_STRING");
        }

        string? account = location.GetOption("account") ?? hostAccount ?? NonEmpty(env("AZURE_STORAGE_ACCOUNT")) ?? AccountFromEndpoint(endpointOption);
        if (account is null)
        {
            throw new StorageException(
                StorageErrorKind.AccessDenied,
                $"No Azure storage account for '{location}': name it in the location (?account=NAME, or abfss://container@NAME.dfs.core.windows.net) or in AZURE_STORAGE_ACCOUNT, or set AZURE_STORAGE_CONNECTION_STRING ({Tried}).");
        }

        var serviceUri = new Uri(endpointOption?.TrimEnd('/') ?? DefaultEndpoint(location.Authority!, account));
        var containerUri = new Uri(serviceUri.AbsoluteUri.TrimEnd('/') + "/" + Uri.EscapeDataString(container));
        if ((location.GetOption("account_key") ?? NonEmpty(env("AZURE_STORAGE_KEY"))) is { } key)
        {
            string source = location.GetOption("account_key") is null ? "AZURE_STORAGE_KEY" : "option account_key";
            StorageSharedKeyCredential credential;
            try
            {
                credential = new StorageSharedKeyCredential(account, key);
            }
            catch (FormatException)
            {
                throw new StorageException(StorageErrorKind.AccessDenied, $"The account key in {source} is not base64; copy the key from the storage account's access keys (its value is not shown).");
            }

            return new AzureEndpoint(container, prefix, account, new BlobContainerClient(containerUri, credential, clientOptions), source);
        }

        if ((location.GetOption("sas_token") ?? NonEmpty(env("AZURE_STORAGE_SAS_TOKEN"))) is { } sas)
        {
            string source = location.GetOption("sas_token") is null ? "AZURE_STORAGE_SAS_TOKEN" : "option sas_token";
            return new AzureEndpoint(container, prefix, account, new BlobContainerClient(containerUri, new AzureSasCredential(sas.TrimStart('?')), clientOptions), source);
        }

        if (containerUri.Scheme != Uri.UriSchemeHttps)
        {
            // The SDK refuses to send a bearer token over plain HTTP (an emulator such as Azurite): say so in one line, before any request.
            throw new StorageException(
                StorageErrorKind.AccessDenied,
                $"No key or SAS token for '{location}', and a token credential (DefaultAzureCredential) needs https://, not an http:// endpoint: set AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_KEY ({Tried}).");
        }

        TokenCredential token = options.TokenCredential ?? new DefaultAzureCredential();
        return new AzureEndpoint(container, prefix, account, new BlobContainerClient(containerUri, token, clientOptions), "DefaultAzureCredential");
    }

    /// <summary>
    /// The location is the more specific instruction: when it names an endpoint or an account that the connection string
    /// does not, neither wins silently (that would send the files, and requests signed with the string's key, to an account
    /// the location did not name). One clear error before any request.
    /// </summary>
    private static void RefuseDisagreement(StorageUri location, BlobServiceClient service, string? endpointOption, string? account)
    {
        // The service URI of a SAS connection string carries the token as its query: never shown, never compared.
        string fromString = service.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        if (endpointOption is not null &&
            (!Uri.TryCreate(endpointOption.TrimEnd('/'), UriKind.Absolute, out var named) || !string.Equals(named.GetLeftPart(UriPartial.Path).TrimEnd('/'), fromString, StringComparison.OrdinalIgnoreCase)))
        {
            throw new StorageException(
                StorageErrorKind.AccessDenied,
                $"'{location}' names the endpoint {(named is null ? "it gives" : named.GetLeftPart(UriPartial.Path).TrimEnd('/'))}, but AZURE_STORAGE_CONNECTION_STRING is for {fromString}: nothing was sent. Name the connection string's endpoint in the location, or unset AZURE_STORAGE_CONNECTION_STRING and give that endpoint's key (AZURE_STORAGE_KEY or account_key=).");
        }

        if (account is not null && !string.Equals(account, service.AccountName, StringComparison.OrdinalIgnoreCase))
        {
            throw new StorageException(
                StorageErrorKind.AccessDenied,
                $"'{location}' names the storage account '{account}', but AZURE_STORAGE_CONNECTION_STRING is for account '{service.AccountName}': nothing was sent. Name the connection string's account, or unset AZURE_STORAGE_CONNECTION_STRING and give that account's key (AZURE_STORAGE_KEY or account_key=).");
        }
    }

    private static BlobClientOptions ClientOptions(AzureBlobStorageOptions options)
    {
        var clientOptions = new BlobClientOptions();

        // RetryPolicy is the one place retries happen (as S3's MaxErrorRetry = 0); NetworkTimeout bounds each request.
        clientOptions.Retry.MaxRetries = 0;
        clientOptions.Retry.NetworkTimeout = options.RequestTimeout;
        return clientOptions;
    }

    // abfss://container@account.dfs.core.windows.net names the Data Lake endpoint; blobs live at the same host under "blob".
    private static string DefaultEndpoint(string authority, string account)
    {
        int at = authority.IndexOf('@', StringComparison.Ordinal);
        string host = at < 0 ? string.Empty : authority[(at + 1)..];
        int dfs = host.IndexOf(".dfs.", StringComparison.Ordinal);
        return dfs > 0 ? "https://" + host[..dfs] + ".blob." + host[(dfs + 5)..]
            : host.Contains(".blob.", StringComparison.Ordinal) ? "https://" + host
            : $"https://{account}.blob.core.windows.net";
    }

    // Azurite and other emulators put the account in the path: http://127.0.0.1:10000/devstoreaccount1.
    private static string? AccountFromEndpoint(string? endpoint)
    {
        if (endpoint is null || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            return null;
        }

        string path = uri.AbsolutePath.Trim('/');
        return path.Length > 0 ? path.Split('/')[0] : uri.Host.Split('.')[0];
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
