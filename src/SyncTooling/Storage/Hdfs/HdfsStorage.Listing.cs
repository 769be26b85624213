using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SyncTooling.Storage.Hdfs;

/// <summary>LISTSTATUS and its JSON shape.</summary>
public sealed partial class HdfsStorage
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    private async Task<List<FileStatus>> ListStatusAsync(string prefix, CancellationToken cancellationToken)
    {
        string path = prefix.Length == 0 ? _rootPath : KeyPath(prefix.TrimEnd('/'));
        string where = prefix.Length == 0 ? $"'{Location}'" : Where(prefix);
        var url = Url(path, "LISTSTATUS");
        using var response = await SendAsync(HttpMethod.Get, url, null, where, cancellationToken).ConfigureAwait(false);
        ListStatusResponse? body;
        try
        {
            body = await response.Content.ReadFromJsonAsync<ListStatusResponse>(Json, cancellationToken).ConfigureAwait(false);
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

    private sealed class ListStatusResponse
    {
        public FileStatusList? FileStatuses { get; set; }
    }

    private sealed class FileStatusList
    {
        public List<FileStatus>? FileStatus { get; set; }
    }

    private sealed class FileStatus
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
