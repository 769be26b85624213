using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>
/// A small WebHDFS server (no Hadoop can run here) that follows the documented REST API over a temp folder:
/// LISTSTATUS, OPEN and CREATE answer a namenode's 307 redirect to a separate "datanode" port, which alone
/// takes and serves file data; MKDIRS, RENAME (with renameoptions=OVERWRITE), SETTIMES and DELETE; errors in
/// the RemoteException JSON format with Hadoop's status codes (FileNotFoundException 404, any other
/// IOException 403, AccessControlException 403, IllegalArgumentException 400).
/// </summary>
public sealed partial class WebHdfsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _root = new();

    private WebHdfsServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>host:port of the namenode's HTTP endpoint, for hdfs:// locations.</summary>
    public string Namenode { get; private set; } = string.Empty;

    /// <summary>host:port of the datanode.</summary>
    public string Datanode { get; private set; } = string.Empty;

    /// <summary>Requests seen, as "port-role METHOD op path user body-bytes".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Paths at or below this answer AccessControlException (403).</summary>
    public string? DeniedPath { get; set; }

    /// <summary>Paths at or below this answer a 500 (a namenode in trouble).</summary>
    public string? FailingPath { get; set; }

    /// <summary>The folder that holds the file system.</summary>
    public string RootFolder => _root.Path;

    public static async Task<WebHdfsServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0", "http://127.0.0.1:0");
        var app = builder.Build();
        var server = new WebHdfsServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a).Authority).ToList();
        server.Namenode = addresses[0];
        server.Datanode = addresses[1];
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _root.Dispose();
    }

    private string Local(string hdfsPath) => Path.Combine(_root.Path, hdfsPath.TrimStart('/'));

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        const string prefix = "/webhdfs/v1";
        string path = request.Path.Value ?? string.Empty;
        string op = request.Query["op"].ToString().ToUpperInvariant();
        bool datanode = context.Connection.LocalPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == Datanode.Split(':')[1];
        using var body = new MemoryStream();
        if (!datanode)
        {
            await request.Body.CopyToAsync(body);
        }

        Requests.Enqueue($"{(datanode ? "datanode" : "namenode")} {request.Method} {op} {path[Math.Min(prefix.Length, path.Length)..]} {request.Query["user.name"]} {body.Length}");
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            await ErrorAsync(context, 404, "FileNotFoundException", $"Path {path} is not below {prefix}.");
            return;
        }

        string hdfsPath = path[prefix.Length..];
        if (hdfsPath.Length == 0)
        {
            hdfsPath = "/";
        }

        if (DeniedPath is { } denied && hdfsPath.StartsWith(denied, StringComparison.Ordinal))
        {
            await ErrorAsync(context, 403, "AccessControlException", $"Permission denied: user={request.Query["user.name"]}, access=ALL, inode=\"{hdfsPath}\"");
            return;
        }

        if (FailingPath is { } failing && hdfsPath.StartsWith(failing, StringComparison.Ordinal))
        {
            await ErrorAsync(context, 500, "NullPointerException", "the namenode is having a bad day");
            return;
        }

        string local = Local(hdfsPath);
        try
        {
            await (datanode ? DatanodeAsync(context, op, local) : NamenodeAsync(context, op, hdfsPath, local));
        }
        catch (IOException ex)
        {
            await ErrorAsync(context, 403, "IOException", ex.Message);
        }
    }

    private static async Task DatanodeAsync(HttpContext context, string op, string local)
    {
        switch ((context.Request.Method, op))
        {
            case ("PUT", "CREATE"):
                Directory.CreateDirectory(Path.GetDirectoryName(local)!);
                await using (var file = File.Create(local))
                {
                    await context.Request.Body.CopyToAsync(file);
                }

                context.Response.StatusCode = 201;
                context.Response.Headers.Location = "hdfs://namenode" + Escape(context.Request.Path.Value!["/webhdfs/v1".Length..]);
                break;
            case ("GET", "OPEN"):
                context.Response.ContentType = "application/octet-stream";
                await context.Response.SendFileAsync(local);
                break;
            default:
                await ErrorAsync(context, 400, "IllegalArgumentException", $"The datanode does not serve op={op}");
                break;
        }
    }

    private void Redirect(HttpContext context, string op)
    {
        // The datanode URL carries its own query, as Hadoop's does (namenoderpcaddress, offset, ...).
        string query = string.Join('&', context.Request.Query.Where(q => q.Key != "op").Select(q => q.Key + "=" + Uri.EscapeDataString(q.Value.ToString())));
        context.Response.StatusCode = (int)HttpStatusCode.TemporaryRedirect;
        context.Response.Headers.Location = $"http://{Datanode}{Escape(context.Request.Path.Value!)}?op={op}&namenoderpcaddress=namenode:8020&{query}";
    }

    // PathString.ToUriComponent leaves '%' alone, which would turn a literal "%20" in a name into a space.
    private static string Escape(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static object Status(FileSystemInfo info, string suffix) => new
    {
        accessTime = 0,
        blockSize = 134217728,
        group = "supergroup",
        length = info is FileInfo f ? f.Length : 0,
        modificationTime = new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeMilliseconds(),
        owner = "hdfs",
        pathSuffix = suffix,
        permission = info is FileInfo ? "644" : "755",
        replication = info is FileInfo ? 3 : 0,
        type = info is FileInfo ? "FILE" : "DIRECTORY",
    };

    private static Task JsonAsync(HttpContext context, object value)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(value));
    }

    private static Task ErrorAsync(HttpContext context, int status, string exception, string message)
    {
        context.Response.StatusCode = status;
        return JsonAsync(context, new { RemoteException = new { exception, javaClassName = "org.apache.hadoop." + exception, message } });
    }
}
