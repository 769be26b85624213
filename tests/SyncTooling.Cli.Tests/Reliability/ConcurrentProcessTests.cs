using System.Security.Cryptography;
using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests.Reliability;

/// <summary>
/// Two `sync` processes on the same tree and the same remote at once. The documented outcome: both succeed, each
/// object or file is written whole by one of them (a PUT and a rename are atomic), and the result is byte-exact.
/// </summary>
[Collection("s3rver")]
public sealed class ConcurrentProcessTests(S3Server server) : IDisposable
{
    private readonly TempDirectory _temp = new();

    private static Dictionary<string, string> Credentials => SyncProcess.AwsEnvironment(S3Server.AccessKey, S3Server.SecretKey);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task TwoSyncUpsOfOneTree_BothSucceed_AndTheRemoteIsByteExact()
    {
        WriteTree();
        string remote = server.Location($"concurrent/{Guid.NewGuid():N}");

        var codes = await RunTwiceAtOnceAsync("up", _temp.Combine("src"), remote);
        await new SyncEngine(server.Registry).SyncAsync(StorageUri.Parse(remote), StorageUri.Parse(_temp.Combine("check")));

        Assert.Equal([0, 0], codes);
        Assert.Equal(TempDirectory.Snapshot(_temp.Combine("src")), TempDirectory.Snapshot(_temp.Combine("check")));
    }

    [Fact]
    public async Task TwoSyncDownsIntoOneFolder_BothSucceed_AndTheFolderIsByteExact()
    {
        WriteTree();
        string remote = server.Location($"concurrent/{Guid.NewGuid():N}");
        await new SyncEngine(server.Registry).SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote));

        var codes = await RunTwiceAtOnceAsync("down", remote, _temp.Combine("target"));

        Assert.Equal([0, 0], codes);
        Assert.Equal(TempDirectory.Snapshot(_temp.Combine("src")), TempDirectory.Snapshot(_temp.Combine("target")));
    }

    private void WriteTree()
    {
        for (int i = 0; i < 300; i++)
        {
            _temp.Write($"src/small/f{i}.txt", $"small {i}");
        }

        File.WriteAllBytes(_temp.Combine("src", "big.bin"), RandomNumberGenerator.GetBytes(12 * 1024 * 1024));
    }

    private static async Task<int[]> RunTwiceAtOnceAsync(params string[] args)
    {
        using var first = SyncProcess.Start(Credentials, args);
        using var second = SyncProcess.Start(Credentials, args);
        return await Task.WhenAll(first.WaitForExitAsync(TimeSpan.FromMinutes(2)), second.WaitForExitAsync(TimeSpan.FromMinutes(2)));
    }
}
