using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Reliability;

/// <summary>SyncEngine.DeleteAsync refuses a broad target (root, home, current folder, whole bucket) unless forced.</summary>
public sealed class DeleteTargetTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("home", "your home folder")]
    [InlineData("home/..", "a folder that holds your home folder")]
    [InlineData("work/run", "the current folder")]
    [InlineData("work", "a folder that holds the current folder")]
    [InlineData("work/run/child", null)]
    [InlineData("home2", null)]
    [InlineData("elsewhere", null)]
    public void Describe_NamesWhatMakesALocalTargetBroad(string relative, string? expected)
    {
        string home = _temp.Combine("top", "home");
        string current = _temp.Combine("top", "work", "run");

        string? what = BroadDeleteTarget.Describe(StorageUri.Parse(_temp.Combine("top", relative)), current, home);

        Assert.Equal(expected, what);
    }

    [Theory]
    [InlineData("/", "the file system root")]
    [InlineData("s3://b", "a whole bucket (no prefix)")]
    [InlineData("s3://b/run", null)]
    [InlineData("memory://store", "the whole store (no path)")]
    [InlineData("hdfs://namenode:9870/", "the whole store (no path)")]
    public void Describe_RootsAndWholeBuckets(string location, string? expected)
    {
        Assert.Equal(expected, BroadDeleteTarget.Describe(StorageUri.Parse(location), _temp.Combine("cwd"), _temp.Combine("home")));
    }

    [Fact]
    public async Task WholeBucket_IsRefused_BeforeAnyRequest()
    {
        await using var server = HostileS3Server.Start(r => r.RespondErrorAsync(500, "InternalError", "no request was expected"));
        var bucket = StorageUri.Parse($"s3://{HostileS3Server.Bucket}?endpoint_override={server.Endpoint}&scheme=http");

        var ex = await Assert.ThrowsAsync<SyncRefusedException>(() => new SyncEngine(server.Registry()).DeleteAsync(bucket));

        Assert.Equal(SyncGuard.BroadDelete, ex.Guard);
        Assert.Equal($"Refusing to delete everything below '{bucket}': it is a whole bucket (no prefix). Nothing was changed; force: true forces it.", ex.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task WholeBucket_WithForce_ListsTheWholeBucket_AndDeletesIt()
    {
        await using var server = HostileS3Server.Start(r => r.IsList
            ? r.RespondListAsync([ListedObject.Of("a.txt", [1]), ListedObject.Of("run/b.txt", [2])])
            : r.RespondXmlAsync(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></DeleteResult>"));
        var bucket = StorageUri.Parse($"s3://{HostileS3Server.Bucket}?endpoint_override={server.Endpoint}&scheme=http");

        var deleted = await new SyncEngine(server.Registry()).DeleteAsync(bucket, force: true);

        Assert.Equal(["a.txt", "run/b.txt"], deleted);
        Assert.Equal(string.Empty, server.Requests.First(r => r.IsList).Query["prefix"]);
        Assert.Equal(1, server.Count(r => r.IsDeleteObjects));
    }
}
