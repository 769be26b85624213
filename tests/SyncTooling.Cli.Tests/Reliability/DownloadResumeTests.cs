using System.Security.Cryptography;
using System.Text.Json;
using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests.Reliability;

/// <summary>
/// The real `sync down` killed with SIGKILL midway through one large object (no handler runs), on Ceph RGW and
/// s3rver, through a paced proxy that counts the bytes it passes on: the rerun fetches what the kill left missing
/// and no more, and the file ends byte-exact; an object changed between the runs is fetched whole, never mixed.
/// </summary>
public abstract class DownloadResumeTests(IS3TestServer server) : IDisposable
{
    private const int Size = (96 * 1024 * 1024) + 4321;
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);
    private readonly TempDirectory _temp = new();

    // A name of this test's own: tests in other collections run at once and share the state folder.
    private readonly string _name = $"big-{Guid.NewGuid():N}.bin";

    public void Dispose()
    {
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task KilledMidDownload_TheRerunFetchesOnlyWhatWasMissing_AndTheFileIsByteExact()
    {
        var (prefix, data) = await UploadAsync(null);
        await using var proxy = FaultProxy.Paced(Port, 2 * 1024 * 1024);
        string source = Location(prefix, proxy);
        string target = _temp.Combine("down");
        long missing = await KillMidwayAsync(source, target);
        long before = proxy.BytesToClients;

        int exit = await RunToEndAsync(source, target);
        long fetched = proxy.BytesToClients - before;

        Assert.Equal(0, exit);
        Assert.InRange(missing, 1, Size - 1);
        Assert.InRange(fetched, missing, missing + (1024 * 1024)); // the listing and the answers' heads
        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(target, _name)));
        Assert.Equal([_name], Directory.GetFiles(target).Select(Path.GetFileName));
    }

    [Fact]
    public async Task KilledMidDownload_ThenTheObjectChanged_TheRerunStartsOver_AndTheFileIsTheNewVersion()
    {
        var (prefix, _) = await UploadAsync(null);
        await using var proxy = FaultProxy.Paced(Port, 2 * 1024 * 1024);
        string source = Location(prefix, proxy);
        string target = _temp.Combine("down");
        await KillMidwayAsync(source, target);
        var (_, changed) = await UploadAsync(prefix);
        long before = proxy.BytesToClients;

        int exit = await RunToEndAsync(source, target);

        Assert.Equal(0, exit);
        Assert.True(proxy.BytesToClients - before >= Size, "the rerun did not fetch the whole new version");
        Assert.Equal(changed, await File.ReadAllBytesAsync(Path.Combine(target, _name)));
        Assert.Equal([_name], Directory.GetFiles(target).Select(Path.GetFileName));
    }

    private int Port => int.Parse(server.Endpoint[(server.Endpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    private Dictionary<string, string> Credentials => SyncProcess.AwsEnvironment(server.Credentials.GetCredentials().AccessKey, server.Credentials.GetCredentials().SecretKey);

    private static string Location(string prefix, FaultProxy proxy) =>
        $"s3://{IS3TestServer.DefaultBucket}/{prefix}?endpoint_override={proxy.Endpoint}&scheme=http";

    /// <summary>The record the tool keeps of this test's interrupted download: its temp file and bytes on disk.</summary>
    private (string Temp, long Written)? RecordOf()
    {
        foreach (string path in Directory.Exists(PrivateStateDirectory.Path) ? Directory.GetFiles(PrivateStateDirectory.Path, "partial-*.json") : [])
        {
            try
            {
                using var json = JsonDocument.Parse(File.ReadAllBytes(path));
                if (json.RootElement.GetProperty("Key").GetString() != _name)
                {
                    continue;
                }

                return (json.RootElement.GetProperty("Temp").GetString()!, json.RootElement.GetProperty("Written").EnumerateArray().Sum(w => (long)w.GetInt32()));
            }
            catch (Exception ex) when (ex is IOException or JsonException)
            {
                // Replaced while read: the next poll reads the new one.
            }
        }

        return null;
    }

    /// <summary>Starts `sync down`, SIGKILLs it once its record shows a quarter of the object on disk; returns the bytes the record says are missing.</summary>
    private async Task<long> KillMidwayAsync(string source, string target)
    {
        using (var child = SyncProcess.Start(Credentials, "down", source, target))
        {
            Assert.True(
                await child.WaitUntilAsync(() => RecordOf()?.Written > Size / 4, Bound),
                "the download was never a quarter done: " + child.Stderr);
            await child.KillAsync();
        }

        var record = RecordOf();
        Assert.NotNull(record);
        Assert.Contains(Directory.GetFiles(target), f => Path.GetFileName(f) == record.Value.Temp);
        return Size - record.Value.Written;
    }

    private async Task<int> RunToEndAsync(string source, string target)
    {
        using var child = SyncProcess.Start(Credentials, "down", source, target, "-q");
        int exit = await child.WaitForExitAsync(Bound);
        Assert.True(exit == 0, child.Stderr);
        return exit;
    }

    /// <summary>Uploads a fresh random file (to a new prefix unless given) with the library; returns the prefix and the bytes.</summary>
    private async Task<(string Prefix, byte[] Data)> UploadAsync(string? prefix)
    {
        byte[] data = RandomNumberGenerator.GetBytes(Size);
        string file = _temp.Combine("src", _name);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllBytesAsync(file, data);
        prefix ??= $"resume/{Guid.NewGuid():N}";
        await new SyncEngine(server.Registry).SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(server.Location(prefix)));
        return (prefix, data);
    }

    [Collection("ceph-rgw")]
    public sealed class OnCephRgw(CephRgw rgw) : DownloadResumeTests(rgw);

    [Collection("s3rver")]
    public sealed class OnS3rver(S3Server s3rver) : DownloadResumeTests(s3rver);
}
