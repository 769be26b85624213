using System.Security.Cryptography;
using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Interop;

/// <summary>
/// The same bucket used by us, the real rclone 1.60 and the real aws-cli 2.9 (Debian packages), side by side:
/// each tool must see our uploads as unchanged, and we must see theirs as unchanged.
/// </summary>
[Collection("s3rver")]
public sealed partial class RcloneAndAwsCliTests(S3Server server) : IDisposable
{
    private static readonly string[] TreeFiles = ["a.txt", "nested/deeper/b.json", "ünïcødé/日本語.txt", "README", "big/model.bin"];
    private readonly TempDirectory _temp = new();
    private readonly InteropTools _tools = new(server);

    public void Dispose()
    {
        _tools.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task OurUpload_RcloneCheckVerifiesEveryObject_AndNeitherRcloneNorAwsCliHasAnythingToDo()
    {
        string source = WriteTree();
        string prefix = $"interop/{Guid.NewGuid():N}";
        var engine = new SyncEngine(server.Registry);
        var up = await engine.SyncAsync(StorageUri.Parse(source), StorageUri.Parse(server.Location(prefix)));

        var check = await _tools.RcloneAsync("check", source, InteropTools.RcloneRemote(prefix));
        var rcloneSync = await _tools.RcloneAsync("sync", source, InteropTools.RcloneRemote(prefix), "--dry-run", "-v");
        var awsSync = await _tools.AwsAsync("s3", "sync", source, $"s3://{S3Server.Bucket}/{prefix}", "--dryrun");

        Assert.Equal(TreeFiles.Length, up.Transferred.Count);
        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("0 differences found", check.Output, StringComparison.Ordinal);
        Assert.Contains($"{TreeFiles.Length} matching files", check.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("could not be checked", check.Output, StringComparison.Ordinal);
        Assert.True(rcloneSync.ExitCode == 0, rcloneSync.Output);
        Assert.Contains("There was nothing to transfer", rcloneSync.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Skipped", rcloneSync.Output, StringComparison.Ordinal);
        Assert.True(awsSync.ExitCode == 0, awsSync.Output);
        Assert.Equal(string.Empty, awsSync.Output.Trim());
    }

    /// <summary>The filter table of docs/cli.md: what each tool leaves out of the same tree for the same --exclude.</summary>
    [Theory]
    [InlineData("cache/", "cache/c.bin", "", "cache/c.bin sub/cache/d.bin")]
    [InlineData("*.log", "a.log logs/a.log sub/x.log", "a.log logs/a.log sub/x.log", "a.log logs/a.log sub/x.log")]
    [InlineData("logs/*", "logs/a.log logs/sub/b.txt", "logs/a.log logs/sub/b.txt", "logs/a.log sub/logs/x.txt")]
    public async Task ExcludePatterns_MeanWhatTheDocsTableSays(string pattern, string ours, string awsCli, string rclone)
    {
        string[] tree = ["cache/c.bin", "sub/cache/d.bin", "a.log", "logs/a.log", "logs/sub/b.txt", "sub/logs/x.txt", "sub/x.log", "keep.txt"];
        foreach (string key in tree)
        {
            _temp.Write("filters/" + key, "x");
        }

        string source = _temp.Combine("filters");
        string prefix = $"interop/{Guid.NewGuid():N}";
        var dryRun = await new SyncEngine().SyncAsync(StorageUri.Parse(source), StorageUri.Parse(_temp.Combine("filters-out")), new SyncOptions { Exclude = [pattern], DryRun = true });
        var aws = await _tools.AwsAsync("s3", "sync", source, $"s3://{S3Server.Bucket}/{prefix}", "--dryrun", "--exclude", pattern);
        var rcloneCopy = await _tools.RcloneAsync("copy", source, _temp.Combine("rclone-out"), "--dry-run", "--exclude", pattern);

        string marker = $"s3://{S3Server.Bucket}/{prefix}/";
        var awsCopied = aws.Output.Split('\n').Where(l => l.Contains("(dryrun) upload:", StringComparison.Ordinal)).Select(l => l[(l.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Trim());
        var rcloneCopied = RcloneSkippedCopy().Matches(rcloneCopy.Output).Select(m => m.Groups[1].Value);
        Assert.True(aws.ExitCode == 0, aws.Output);
        Assert.True(rcloneCopy.ExitCode == 0, rcloneCopy.Output);
        Assert.Equal(Words(ours), LeftOut(tree, dryRun.Transferred));
        Assert.Equal(Words(awsCli), LeftOut(tree, awsCopied));
        Assert.Equal(Words(rclone), LeftOut(tree, rcloneCopied));

        static string[] Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();
        static string[] LeftOut(string[] tree, IEnumerable<string> copied) => tree.Except(copied).Order(StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public async Task OurRoundTrip_RestoresMtimesToTheNanosecond_SoRcloneSeesTheDownloadedTreeAsTheSource()
    {
        string source = WriteTree();
        string prefix = $"interop/{Guid.NewGuid():N}";
        var engine = new SyncEngine(server.Registry);
        await engine.SyncAsync(StorageUri.Parse(source), StorageUri.Parse(server.Location(prefix)));

        await engine.SyncAsync(StorageUri.Parse(server.Location(prefix)), StorageUri.Parse(_temp.Combine("down")));
        var rcloneSync = await _tools.RcloneAsync("sync", _temp.Combine("down"), InteropTools.RcloneRemote(prefix), "--dry-run", "-v");

        Assert.Equal(FileTimes.Snapshot(source), FileTimes.Snapshot(_temp.Combine("down")));
        Assert.True(rcloneSync.ExitCode == 0, rcloneSync.Output);
        Assert.Contains("There was nothing to transfer", rcloneSync.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Skipped", rcloneSync.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RcloneUpload_IsNotReuploadedByOurUp_AndTheTreeRcloneRestored_IsNotRedownloaded_AfterOneHeadPerFile()
    {
        string source = WriteTree();
        string prefix = $"interop/{Guid.NewGuid():N}";
        var copyUp = await _tools.RcloneAsync("copy", source, InteropTools.RcloneRemote(prefix));
        var copyDown = await _tools.RcloneAsync("copy", InteropTools.RcloneRemote(prefix), _temp.Combine("rclone-down"));
        await using var proxy = FaultProxy.PassThrough(server.Port);
        var engine = new SyncEngine(server.Registry);
        var remote = StorageUri.Parse(ProxiedLocation(proxy, prefix));
        var local = StorageUri.Parse(_temp.Combine("rclone-down"));

        var up = await engine.SyncAsync(StorageUri.Parse(source), remote);
        proxy.ClearRequestLines();
        var firstDown = await engine.SyncAsync(remote, local);
        var firstRequests = proxy.RequestLines;
        proxy.ClearRequestLines();
        var secondDown = await engine.SyncAsync(remote, local);

        Assert.True(copyUp.ExitCode == 0 && copyDown.ExitCode == 0, copyUp.Output + copyDown.Output);
        Assert.Empty(up.Transferred);
        Assert.Empty(firstDown.Transferred);
        Assert.Equal(TreeFiles.Length, firstDown.Plan.Unchanged.Count);
        Assert.Equal(TreeFiles.Length, firstRequests.Count(r => r.StartsWith("HEAD ", StringComparison.Ordinal)));
        Assert.All(firstRequests, r => Assert.True(r.StartsWith("HEAD ", StringComparison.Ordinal) || IsListing(r), r));
        Assert.Empty(secondDown.Transferred);
        Assert.All(proxy.RequestLines, r => Assert.True(IsListing(r), r));
        Assert.Equal(FileTimes.Snapshot(source), FileTimes.Snapshot(_temp.Combine("rclone-down")));
    }

    [Fact]
    public async Task AwsCliUpload_IsNotReuploadedByOurUp_AndTheTreeAwsCliDownloaded_IsNotRedownloaded_WithoutAnyHead()
    {
        string source = WriteTree();
        string prefix = $"interop/{Guid.NewGuid():N}";
        var syncUp = await _tools.AwsAsync("s3", "sync", source, $"s3://{S3Server.Bucket}/{prefix}");
        var syncDown = await _tools.AwsAsync("s3", "sync", $"s3://{S3Server.Bucket}/{prefix}", _temp.Combine("aws-down"));
        await using var proxy = FaultProxy.PassThrough(server.Port);
        var engine = new SyncEngine(server.Registry);
        var remote = StorageUri.Parse(ProxiedLocation(proxy, prefix));

        var up = await engine.SyncAsync(StorageUri.Parse(source), remote);
        proxy.ClearRequestLines();
        var down = await engine.SyncAsync(remote, StorageUri.Parse(_temp.Combine("aws-down")));

        Assert.True(syncUp.ExitCode == 0 && syncDown.ExitCode == 0, syncUp.Output + syncDown.Output);
        Assert.Empty(up.Transferred);
        Assert.Equal(TreeFiles.Length, up.Plan.Unchanged.Count);
        Assert.Empty(down.Transferred);
        Assert.All(proxy.RequestLines, r => Assert.True(IsListing(r), r));
    }

    internal static bool IsListing(string requestLine) =>
        requestLine.StartsWith("GET ", StringComparison.Ordinal) && requestLine.Contains("list-type=2", StringComparison.Ordinal);

    internal static string ProxiedLocation(FaultProxy proxy, string prefix) => $"s3://{S3Server.Bucket}/{prefix}?endpoint_override={proxy.Endpoint}&scheme=http";

    /// <summary>Nested folders, a unicode name, an extensionless file and a 9 MiB file (above the 8 MiB multipart threshold).</summary>
    private string WriteTree()
    {
        foreach (string name in TreeFiles.Where(n => n != "big/model.bin"))
        {
            _temp.Write("src/" + name, "content of " + name);
        }

        Directory.CreateDirectory(_temp.Combine("src", "big"));
        File.WriteAllBytes(_temp.Combine("src", "big", "model.bin"), RandomNumberGenerator.GetBytes(9 * 1024 * 1024));

        // Times well before the upload (a file written in the upload's second looks newer than the object to
        // aws-cli, whose listings have whole seconds), with nanoseconds that no 100 ns clock can hold.
        string[] times = ["1700000000.123456789", "1600000000.000000001", "1500000000.5", "1400000000", "1300000000.987654321"];
        for (int i = 0; i < TreeFiles.Length; i++)
        {
            FileTimes.Set(_temp.Combine(["src", .. TreeFiles[i].Split('/')]), times[i]);
        }

        return _temp.Combine("src");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"NOTICE: (.+?): Skipped copy as --dry-run is set")]
    private static partial System.Text.RegularExpressions.Regex RcloneSkippedCopy();
}
