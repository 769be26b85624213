using System.Collections.Concurrent;
using System.Security;
using System.Security.Cryptography;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>
/// An honest bucket behind a <see cref="HostileS3Server"/> handler: listing, GET, PUT and multipart uploads over
/// objects kept in memory, with AWS-style ETags (the MD5, or <c>hex-N</c> for multipart objects). A test lets
/// <see cref="HandleAsync"/> answer what it does not misbehave on.
/// </summary>
public sealed class HostileS3Bucket
{
    private readonly ConcurrentDictionary<string, byte[]> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<int, byte[]>> _uploads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _etags = new(StringComparer.Ordinal);
    private int _nextUpload;

    /// <summary>The objects stored, by full key (prefix included).</summary>
    public IReadOnlyDictionary<string, byte[]> Objects => _objects;

    public void Put(string key, byte[] content) => _objects[key] = content;

    /// <summary>The ETag S3 gives the content of one PUT or part: its MD5, lower-case hex.</summary>
    public static string Md5(byte[] content) =>
#pragma warning disable CA5351 // S3 ETags are MD5s.
        Convert.ToHexStringLower(MD5.HashData(content));
#pragma warning restore CA5351

    /// <summary>The ETag AWS gives a multipart object: the MD5 of the parts' MD5s, a dash and the part count.</summary>
    public static string MultipartETag(IReadOnlyList<byte[]> parts) =>
#pragma warning disable CA5351 // S3 ETags are MD5s.
        Convert.ToHexStringLower(MD5.HashData(parts.SelectMany(p => MD5.HashData(p)).ToArray())) + "-" + parts.Count;
#pragma warning restore CA5351

    /// <summary>Answers <paramref name="request"/> as an honest S3 would.</summary>
    public async Task HandleAsync(HostileRequest request)
    {
        if (request.IsList)
        {
            string prefix = request.Query.GetValueOrDefault("prefix", string.Empty);
            await request.RespondListAsync(_objects.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => ListedObject.Of(o.Key, o.Value)));
        }
        else if (request.IsGet)
        {
            if (_objects.TryGetValue(request.Key, out var content))
            {
                await request.RespondAsync(200, content, [ETag(Md5(content))]);
            }
            else
            {
                await request.RespondErrorAsync(404, "NoSuchKey");
            }
        }
        else if (request.IsHead)
        {
            if (_objects.TryGetValue(request.Key, out var content))
            {
                await request.RespondAsync(200, headers: [ETag(_etags.GetValueOrDefault(request.Key, Md5(content))), new("Content-Length", content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
            }
            else
            {
                await request.RespondAsync(404);
            }
        }
        else if (request.IsPut)
        {
            _objects[request.Key] = request.Body;
            _etags.TryRemove(request.Key, out _);
            await request.RespondAsync(200, headers: [ETag(Md5(request.Body))]);
        }
        else if (request.IsInitiateMultipart)
        {
            string id = "upload-" + Interlocked.Increment(ref _nextUpload);
            _uploads[id] = new ConcurrentDictionary<int, byte[]>();
            await request.RespondXmlAsync(200, $"<InitiateMultipartUploadResult><Bucket>{HostileS3Server.Bucket}</Bucket><Key>{SecurityElement.Escape(request.Key)}</Key><UploadId>{id}</UploadId></InitiateMultipartUploadResult>");
        }
        else if (request.IsUploadPart)
        {
            _uploads[request.Query["uploadId"]][int.Parse(request.Query["partNumber"], System.Globalization.CultureInfo.InvariantCulture)] = request.Body;
            await request.RespondAsync(200, headers: [ETag(Md5(request.Body))]);
        }
        else if (request.IsCompleteMultipart)
        {
            if (!_uploads.ContainsKey(request.Query["uploadId"]))
            {
                await request.RespondErrorAsync(404, "NoSuchUpload", "The specified upload does not exist.");
                return;
            }

            await RespondCompletedAsync(request, MultipartETag(Complete(request)));
        }
        else if (request.Method == "DELETE" && request.Key.Length > 0 && !request.Query.ContainsKey("uploadId"))
        {
            _objects.TryRemove(request.Key, out _);
            _etags.TryRemove(request.Key, out _);
            await request.RespondAsync(204);
        }
        else if (request.IsAbortMultipart)
        {
            _uploads.TryRemove(request.Query["uploadId"], out _);
            await request.RespondAsync(204);
        }
        else
        {
            await request.RespondErrorAsync(400, "NotImplemented");
        }
    }

    /// <summary>Assembles and stores the upload that <paramref name="request"/> completes; returns its parts in order.</summary>
    public IReadOnlyList<byte[]> Complete(HostileRequest request)
    {
        _uploads.TryRemove(request.Query["uploadId"], out var parts);
        var ordered = parts!.OrderBy(p => p.Key).Select(p => p.Value).ToList();
        _objects[request.Key] = ordered.SelectMany(p => p).ToArray();
        _etags[request.Key] = MultipartETag(ordered);
        return ordered;
    }

    /// <summary>A CompleteMultipartUpload answer with exactly the ETag given.</summary>
    public static Task RespondCompletedAsync(HostileRequest request, string etag) =>
        request.RespondXmlAsync(200, $"<CompleteMultipartUploadResult><Location>http://hostile/{SecurityElement.Escape(request.Key)}</Location><Bucket>{HostileS3Server.Bucket}</Bucket><Key>{SecurityElement.Escape(request.Key)}</Key><ETag>&quot;{etag}&quot;</ETag></CompleteMultipartUploadResult>");

    public static KeyValuePair<string, string> ETag(string value) => new("ETag", "\"" + value + "\"");
}
