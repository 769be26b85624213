using System.Text.RegularExpressions;
using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests.Reliability;

/// <summary>
/// One sync split over four `sync` processes running at once with --shard 1/4 .. 4/4, as four machines of a
/// Kubernetes Indexed Job would run it: the remote ends as one sync leaves it, every object was PUT exactly once
/// (counted at the server, through a proxy), and --delete removes only keys of each process's own shard.
/// </summary>
[Collection("s3rver")]
public sealed partial class ShardedProcessTests(S3Server server) : IDisposable
{
    private const int Shards = 4;
    private readonly TempDirectory _temp = new();

    private static Dictionary<string, string> Credentials => SyncProcess.AwsEnvironment(S3Server.AccessKey, S3Server.SecretKey);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task FourShardsAtOnce_MatchOneSync_AndPutEachObjectExactlyOnce()
    {
        for (int i = 0; i < 120; i++)
        {
            _temp.Write($"src/d{i % 7}/f{i}.txt", $"file {i}");
        }

        await using var proxy = FaultProxy.PassThrough(server.Port);
        string prefix = $"sharded/{Guid.NewGuid():N}";
        string remote = $"s3://{S3Server.Bucket}/{prefix}?endpoint_override={proxy.Endpoint}&scheme=http";

        var codes = await RunShardsAtOnceAsync("up", _temp.Combine("src"), remote);
        var puts = proxy.RequestLines.Select(l => PutKey().Match(l)).Where(m => m.Success).Select(m => Uri.UnescapeDataString(m.Groups[1].Value)).ToList();
        await new SyncEngine(server.Registry).SyncAsync(StorageUri.Parse(server.Location(prefix)), StorageUri.Parse(_temp.Combine("check")));

        Assert.Equal(Enumerable.Repeat(0, Shards), codes);
        Assert.Equal(120, puts.Count);
        Assert.Equal(120, puts.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(TempDirectory.Snapshot(_temp.Combine("src")), TempDirectory.Snapshot(_temp.Combine("check")));
    }

    [Fact]
    public async Task FourShardsWithDelete_EachDeleteOnlyItsOwnExtraneousKeys()
    {
        for (int i = 0; i < 40; i++)
        {
            _temp.Write($"src/f{i}.txt", $"file {i}");
        }

        string remote = server.Location($"sharded/{Guid.NewGuid():N}");
        await new SyncEngine(server.Registry).SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote));
        var removed = Enumerable.Range(0, 40).Where(i => i % 3 == 0).Select(i => $"f{i}.txt").ToList();
        removed.ForEach(key => File.Delete(_temp.Combine("src", key)));

        var runs = Enumerable.Range(1, Shards).Select(k => SyncProcess.Start(Credentials, "up", _temp.Combine("src"), remote, "--delete", "--shard", $"{k}/{Shards}")).ToList();
        try
        {
            var codes = await Task.WhenAll(runs.Select(r => r.WaitForExitAsync(TimeSpan.FromMinutes(2))));
            await new SyncEngine(server.Registry).SyncAsync(StorageUri.Parse(remote), StorageUri.Parse(_temp.Combine("check")));

            Assert.Equal(Enumerable.Repeat(0, Shards), codes);
            var deletedByShard = runs.Select(r => int.Parse(DeletedCount().Match(r.Stdout).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(Enumerable.Range(1, Shards).Select(k => removed.Count(key => SyncShard.Of(key, Shards) == k)), deletedByShard);
            Assert.Equal(TempDirectory.Snapshot(_temp.Combine("src")), TempDirectory.Snapshot(_temp.Combine("check")));
        }
        finally
        {
            runs.ForEach(r => r.Dispose());
        }
    }

    private static async Task<int[]> RunShardsAtOnceAsync(params string[] args)
    {
        var runs = Enumerable.Range(1, Shards).Select(k => SyncProcess.Start(Credentials, [.. args, "--shard", $"{k}/{Shards}"])).ToList();
        try
        {
            return await Task.WhenAll(runs.Select(r => r.WaitForExitAsync(TimeSpan.FromMinutes(2))));
        }
        finally
        {
            runs.ForEach(r => r.Dispose());
        }
    }

    [GeneratedRegex(@"^PUT /[^/]+/sharded/[0-9a-f]+/([^? ]+) ")]
    private static partial Regex PutKey();

    [GeneratedRegex(@" (\d+) deleted, ")]
    private static partial Regex DeletedCount();
}
