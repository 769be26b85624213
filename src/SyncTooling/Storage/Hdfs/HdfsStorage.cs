using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using SyncTooling.Storage.File;

namespace SyncTooling.Storage.Hdfs;

/// <summary>
/// An HDFS directory through the WebHDFS REST API (<c>/webhdfs/v1/&lt;path&gt;?op=...</c>) over HTTP:
/// <c>hdfs://namenode:9870/path?user=alice&amp;scheme=https</c>. The port is the namenode's HTTP port.
/// </summary>
/// <remarks>
/// Writes follow WebHDFS's two-step CREATE (a PUT without data is redirected to a datanode, which takes the
/// data) to a hidden temp name (<see cref="FileStorage.TempPrefix"/> and 12 hex digits, the same shape as local temp files) in the target folder, set the
/// modification time, and RENAME over the target, so readers never see a partial file; listings skip temp
/// files a killed writer left. Authentication is Hadoop's simple scheme (<c>user.name</c>): the <c>user</c>
/// option, else the HADOOP_USER_NAME environment variable, else none (the cluster's default user).
/// </remarks>
public sealed partial class HdfsStorage : IStorage
{
    private static readonly StorageCapabilities HdfsCapabilities = new(
        PreservesModificationTime: true,
        ModificationTimePrecision: TimeSpan.FromMilliseconds(1),
        HasDirectories: true,
        MaxDeleteBatch: 1000);

    // Redirects are followed by hand: CREATE's first PUT must not carry the data to the namenode.
    private static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    });

    private readonly HttpClient _http;
    private readonly string _baseUrl;
    private readonly string _rootPath;
    private readonly string? _user;

    /// <summary>Opens the HDFS directory at <paramref name="location"/> (it need not exist yet).</summary>
    /// <param name="location">An <c>hdfs://host:port/path</c> location; options <c>user</c> and <c>scheme</c> (http or https).</param>
    /// <param name="httpClient">The client for every request; it must not follow redirects itself. A shared one when null.</param>
    /// <exception cref="ArgumentException">The location is not hdfs://, or its scheme option is neither http nor https.</exception>
    public HdfsStorage(StorageUri location, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (location.Scheme != "hdfs")
        {
            throw new ArgumentException($"HdfsStorage needs an hdfs:// location, not '{location}'.", nameof(location));
        }

        string scheme = location.GetOption("scheme") ?? "http";
        if (scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"The scheme option of '{location}' is '{scheme}'; it must be http or https.", nameof(location));
        }

        Location = location;
        _http = httpClient ?? SharedClient.Value;
        _baseUrl = scheme + "://" + location.Authority + "/webhdfs/v1";
        _rootPath = "/" + location.Path;
        _user = location.GetOption("user") ?? NullIfEmpty(Environment.GetEnvironmentVariable("HADOOP_USER_NAME"));
    }

    /// <inheritdoc />
    public StorageUri Location { get; }

    /// <inheritdoc />
    public StorageCapabilities Capabilities => HdfsCapabilities;

    /// <inheritdoc />
    public async IAsyncEnumerable<StorageEntry> ListAsync(Func<string, bool>? shouldDescend = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Depth first, each folder's children in key order (a folder's name with '/' appended): the whole listing
        // comes in KeyOrder, so a sync merges it without sorting.
        var folders = new Stack<(string Prefix, IEnumerator<FileStatus> Children)>();
        folders.Push((string.Empty, await ListSortedAsync(string.Empty, cancellationToken).ConfigureAwait(false)));
        while (folders.TryPeek(out var folder))
        {
            if (!folder.Children.MoveNext())
            {
                folders.Pop();
                continue;
            }

            var status = folder.Children.Current;
            if (status.PathSuffix.Length == 0)
            {
                // LISTSTATUS of a file answers the file itself.
                throw new StorageException(StorageErrorKind.Permanent, $"'{Location}' is a file, not a directory.");
            }

            string key = folder.Prefix + status.PathSuffix;
            if (status.IsDirectory)
            {
                if (shouldDescend is null || shouldDescend(key + "/"))
                {
                    folders.Push((key + "/", await ListSortedAsync(key + "/", cancellationToken).ConfigureAwait(false)));
                }
            }
            else if (!TempFileName.Matches(status.PathSuffix))
            {
                yield return new StorageEntry(key, status.Length, status.ModificationTime);
            }
        }
    }

    private async Task<IEnumerator<FileStatus>> ListSortedAsync(string prefix, CancellationToken cancellationToken)
    {
        var statuses = await ListStatusAsync(prefix, cancellationToken).ConfigureAwait(false);
        return statuses.OrderBy(s => s.IsDirectory ? s.PathSuffix + "/" : s.PathSuffix, KeyOrder.Instance).GetEnumerator();
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        StorageKey.Validate(key);
        string where = Where(key);
        var redirect = await SendAsync(HttpMethod.Get, Url(KeyPath(key), "OPEN"), null, where, cancellationToken).ConfigureAwait(false);
        if (redirect.StatusCode != HttpStatusCode.TemporaryRedirect)
        {
            return await redirect.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }

        var datanode = DatanodeUrl(redirect, where);
        redirect.Dispose();
        var response = await SendAsync(HttpMethod.Get, datanode, null, where, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task WriteAsync(string key, Stream content, long length, DateTimeOffset lastModified, CancellationToken cancellationToken = default)
    {
        StorageKey.Validate(key);
        ArgumentNullException.ThrowIfNull(content);
        string where = Where(key);
        string target = KeyPath(key);
        string temp = target[..(target.LastIndexOf('/') + 1)] + TempFileName.New();
        var guard = new SourceStreamGuard(content);
        bool renamed = false;
        try
        {
            using (var redirect = await SendAsync(HttpMethod.Put, Url(temp, "CREATE", "&overwrite=true"), null, where, cancellationToken).ConfigureAwait(false))
            {
                var datanode = DatanodeUrl(redirect, where);
                var data = new StreamContent(guard);
                data.Headers.ContentLength = length;
                data.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
                (await SendAsync(HttpMethod.Put, datanode, data, where, cancellationToken).ConfigureAwait(false)).Dispose();
            }

            string millis = lastModified.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            (await SendAsync(HttpMethod.Put, Url(temp, "SETTIMES", "&modificationtime=" + millis), null, where, cancellationToken).ConfigureAwait(false)).Dispose();
            using var rename = await SendAsync(HttpMethod.Put, Url(temp, "RENAME", "&renameoptions=OVERWRITE&destination=" + Uri.EscapeDataString(target)), null, where, cancellationToken).ConfigureAwait(false);
            if (await ReadBooleanAsync(rename, cancellationToken).ConfigureAwait(false) == false)
            {
                throw new StorageException(StorageErrorKind.Permanent, $"WebHDFS refused to rename the uploaded temp file onto {where}.");
            }

            renamed = true;
        }
        catch (Exception) when (guard.SourceError is { } sourceError && !cancellationToken.IsCancellationRequested)
        {
            ExceptionDispatchInfo.Capture(sourceError).Throw();
        }
        finally
        {
            if (!renamed)
            {
                await TryDeleteAsync(temp).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (string key in keys)
        {
            StorageKey.Validate(key);
        }

        // A false answer means the key was already gone, which the contract allows.
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (key, ct) =>
            (await SendAsync(HttpMethod.Delete, Url(KeyPath(key), "DELETE", "&recursive=false"), null, Where(key), ct).ConfigureAwait(false)).Dispose()).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteAllAsync(CancellationToken cancellationToken = default)
    {
        if (Location.Path.Length > 0)
        {
            (await SendAsync(HttpMethod.Delete, Url(_rootPath, "DELETE", "&recursive=true"), null, $"'{Location}'", cancellationToken).ConfigureAwait(false)).Dispose();
            return;
        }

        // HDFS refuses to delete "/" itself; everything below it goes one child at a time.
        List<FileStatus> children;
        try
        {
            children = await ListStatusAsync(string.Empty, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException ex) when (ex.Kind == StorageErrorKind.NotFound)
        {
            return;
        }

        foreach (var child in children)
        {
            (await SendAsync(HttpMethod.Delete, Url(KeyPath(child.PathSuffix), "DELETE", "&recursive=true"), null, Where(child.PathSuffix), cancellationToken).ConfigureAwait(false)).Dispose();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private string KeyPath(string key) => _rootPath.TrimEnd('/') + "/" + key;

    // Not Location.Join: a key may hold '?' or '#', which a location cannot.
    private string Where(string key) => $"'{key}' in '{Location}'";

    private Uri Url(string hdfsPath, string op, string extra = "")
    {
        string escaped = string.Join('/', hdfsPath.Split('/').Select(Uri.EscapeDataString));
        string user = _user is null ? string.Empty : "&user.name=" + Uri.EscapeDataString(_user);
        return new Uri(_baseUrl + escaped + "?op=" + op + user + extra);
    }

    private static Uri DatanodeUrl(HttpResponseMessage redirect, string where) =>
        redirect.StatusCode == HttpStatusCode.TemporaryRedirect && redirect.Headers.Location is { IsAbsoluteUri: true } location
            ? location
            : throw new StorageException(StorageErrorKind.Permanent, $"WebHDFS answered {(int)redirect.StatusCode} without a datanode redirect on {where}; is the port the namenode's HTTP port?");

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, HttpContent? content, string where, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (WebHdfsErrors.FromTransport(ex, where, url, cancellationToken) is { } classified)
        {
            throw classified;
        }

        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.TemporaryRedirect)
        {
            return response;
        }

        using (response)
        {
            throw await WebHdfsErrors.FromResponseAsync(response, where, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task TryDeleteAsync(string hdfsPath)
    {
        try
        {
            (await SendAsync(HttpMethod.Delete, Url(hdfsPath, "DELETE", "&recursive=false"), null, hdfsPath, CancellationToken.None).ConfigureAwait(false)).Dispose();
        }
        catch (StorageException)
        {
            // Best effort: listings skip temp files, so a leftover is invisible to syncs.
        }
    }

    private static async Task<bool?> ReadBooleanAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("boolean", out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;
    }
}
