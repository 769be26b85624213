using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SyncTooling.Storage.Hdfs;

/// <summary>LISTSTATUS and its JSON shape.</summary>
public sealed partial class HdfsStorage
{
    private async Task<List<FileStatus>> ListStatusAsync(string prefix, CancellationToken cancellationToken)
    {
        string path = prefix.Length == 0 ? _rootPath : KeyPath(prefix.TrimEnd('/'));
        string where = prefix.Length == 0 ? $"'{Location}'" : Where(prefix);
        var url = Url(path, "LISTSTATUS");
        using var response = await SendAsync(HttpMethod.Get, url, null, where, cancellationToken).ConfigureAwait(false);
        ListStatusResponse? body;
        try
        {
            body = await response.Content.ReadFromJsonAsync(WebHdfsJson.Default.ListStatusResponse, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new StorageException(StorageErrorKind.Permanent, $"WebHDFS LISTSTATUS of {where} did not answer JSON; is this a namenode's HTTP port?", ex);
        }
        catch (Exception ex) when (WebHdfsErrors.FromTransport(ex, where, url, cancellationToken) is { } classified)
        {
            throw classified;
        }

        return body?.FileStatuses?.FileStatus ?? [];
    }

    internal sealed class ListStatusResponse
    {
        public FileStatusList? FileStatuses { get; set; }
    }

    internal sealed class FileStatusList
    {
        public List<FileStatus>? FileStatus { get; set; }
    }

    internal sealed class FileStatus
    {
        public string PathSuffix { get; set; } = string.Empty;

        public string Type { get; set; } = string.Empty;

        public long Length { get; set; }

        [JsonPropertyName("modificationTime")]
        public long ModificationTimeMillis { get; set; }

        [JsonIgnore]
        public bool IsDirectory => Type == "DIRECTORY";

        [JsonIgnore]
        public DateTimeOffset ModificationTime => DateTimeOffset.FromUnixTimeMilliseconds(ModificationTimeMillis);
    }
}

/// <summary>LISTSTATUS's JSON, read by generated code (no reflection: the library runs trimmed and in Native AOT).</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(HdfsStorage.ListStatusResponse))]
internal sealed partial class WebHdfsJson : JsonSerializerContext;
