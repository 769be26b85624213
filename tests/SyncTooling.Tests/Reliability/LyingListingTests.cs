using System.Text;
using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Reliability;

/// <summary>
/// A listing a sync writes or deletes against must be complete and inside its root: each lie of a server is an error
/// of the listing, through the engine with Delete on, and nothing changes on either side.
/// </summary>
public sealed class LyingListingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public LyingListingTests()
    {
        _temp.Write("local/keep.txt", "keep");
        _temp.Write("local/sub/keep2.txt", "keep2");
    }

    private string Local => _temp.Combine("local");

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, bool> LiesAndDirections()
    {
        var data = new TheoryData<string, bool>();
        foreach (string lie in Lies.Keys)
        {
            data.Add(lie, false);
            data.Add(lie, true);
        }

        return data;
    }

    public static TheoryData<string> EveryLie() => [.. Lies.Keys];

    /// <summary>Each lie: how the server answers list requests, and what the error says it did.</summary>
    private static readonly Dictionary<string, (Func<HostileRequest, Task> Answer, string Did)> Lies = new()
    {
        ["truncated-without-token"] = (
            r => r.RespondListAsync([Object("run/a.txt")], isTruncated: true),
            "a listing page marked truncated without a continuation token"),
        ["token-repeated"] = (
            r => Token(r) switch
            {
                null => r.RespondListAsync([Object("run/a.txt")], isTruncated: true, nextToken: "first"),
                "first" => r.RespondListAsync([Object("run/b.txt")], isTruncated: true, nextToken: "second"),
                _ => r.RespondListAsync([Object("run/c.txt")], isTruncated: true, nextToken: "first"),
            },
            "a continuation token it had returned before (a listing that would never end)"),
        ["key-outside-prefix"] = (
            r => r.RespondListAsync([Object("run/a.txt"), Object("run2/other-run.txt")]),
            "a key outside the requested prefix 'run/' ('run2/other-run.txt')"),
        ["key-twice-across-pages"] = (
            r => Token(r) is null
                ? r.RespondListAsync([Object("run/a.txt"), Object("run/b.txt")], isTruncated: true, nextToken: "next")
                : r.RespondListAsync([Object("run/b.txt")]),
            "the key 'run/b.txt' twice"),
        ["negative-size"] = (
            r => r.RespondListAsync([Object("run/a.txt"), new ListedObject("run/b.txt", -5, "0123456789abcdef0123456789abcdef", DateTimeOffset.UtcNow.AddMinutes(-5))]),
            "the size -5 for 'run/b.txt' (an S3 object has 0 to 5 TiB)"),
        ["size-above-5-tib"] = (
            r => r.RespondListAsync([Object("run/a.txt"), new ListedObject("run/b.txt", long.MaxValue, "0123456789abcdef0123456789abcdef", DateTimeOffset.UtcNow.AddMinutes(-5))]),
            "the size 9223372036854775807 for 'run/b.txt' (an S3 object has 0 to 5 TiB)"),
        ["empty-pages-forever"] = (
            r => r.RespondListAsync([], isTruncated: true, nextToken: Guid.NewGuid().ToString("N")),
            "5 listing pages in a row with no keys, each marked truncated (the limit is MaxEmptyListPages)"),
    };

    [Theory]
    [MemberData(nameof(LiesAndDirections))]
    public async Task Sync_WithDelete_FailsWithTheLie_AndChangesNothingOnEitherSide(string lie, bool up)
    {
        await using var server = Serve(lie);
        var before = TempDirectory.Snapshot(Local);
        var remote = StorageUri.Parse(server.Location("run"));
        var local = StorageUri.Parse(Local);
        var engine = new SyncEngine(server.Registry(server.Options with { MaxEmptyListPages = 5 }));

        var ex = await Assert.ThrowsAsync<StorageException>(() =>
            engine.SyncAsync(up ? local : remote, up ? remote : local, new SyncOptions { Delete = true, Retries = 0 }));

        Assert.Equal(StorageErrorKind.Permanent, ex.Kind);
        Assert.Equal(Expected(server, lie), ex.Message);
        Assert.Equal(before, TempDirectory.Snapshot(Local));
        Assert.All(server.Requests, r => Assert.True(r.IsList, $"{r.Method} {r.Target} was sent after a lying listing"));
    }

    [Theory]
    [MemberData(nameof(EveryLie))]
    public async Task Delete_FailsWithTheLie_AndSendsNoDelete(string lie)
    {
        await using var server = Serve(lie);
        var engine = new SyncEngine(server.Registry(server.Options with { MaxEmptyListPages = 5 }));

        var ex = await Assert.ThrowsAsync<StorageException>(() => engine.DeleteAsync(StorageUri.Parse(server.Location("run"))));

        Assert.Equal(Expected(server, lie), ex.Message);
        Assert.All(server.Requests, r => Assert.True(r.IsList, $"{r.Method} {r.Target} was sent after a lying listing"));
    }

    [Theory]
    [MemberData(nameof(EveryLie))]
    public async Task Ls_FailsWithTheLie(string lie)
    {
        await using var server = Serve(lie);
        var engine = new SyncEngine(server.Registry(server.Options with { MaxEmptyListPages = 5 }));

        var ex = await Assert.ThrowsAsync<StorageException>(() => engine.ListAsync(StorageUri.Parse(server.Location("run"))));

        Assert.Equal(Expected(server, lie), ex.Message);
    }

    [Fact]
    public async Task EmptyPagesForever_StopAtTheLimit_AfterExactlyThatManyRequests()
    {
        await using var server = Serve("empty-pages-forever");
        var engine = new SyncEngine(server.Registry(server.Options with { MaxEmptyListPages = 5 }));

        await Assert.ThrowsAsync<StorageException>(() => engine.ListAsync(StorageUri.Parse(server.Location("run"))));

        Assert.Equal(5, server.Count(r => r.IsList));
    }

    [Fact]
    public async Task EmptyPagesBetweenFullOnes_AreNotALie()
    {
        await using var server = HostileS3Server.Start(r => Token(r) switch
        {
            null => r.RespondListAsync([Object("run/a.txt")], isTruncated: true, nextToken: "1"),
            "1" or "2" or "3" => r.RespondListAsync([], isTruncated: true, nextToken: (int.Parse(Token(r)!, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            _ => r.RespondListAsync([Object("run/b.txt")]),
        });
        var engine = new SyncEngine(server.Registry(server.Options with { MaxEmptyListPages = 5 }));

        var entries = await engine.ListAsync(StorageUri.Parse(server.Location("run")));

        Assert.Equal(["a.txt", "b.txt"], entries.Select(e => e.Key));
    }

    [Fact]
    public async Task DeleteOfRun_ListsWithPrefixRunSlash_AndDeletesNothingOfRun2()
    {
        string[] stored = ["run/a.txt", "run/sub/b.txt", "run2/other.txt", "runner.txt"];
        await using var server = HostileS3Server.Start(async r =>
        {
            if (r.IsList)
            {
                // An honest server: exactly the keys that start with the requested prefix.
                await r.RespondListAsync(stored.Where(k => k.StartsWith(r.Query["prefix"], StringComparison.Ordinal)).Select(k => Object(k)));
            }
            else if (r.IsDeleteObjects)
            {
                await r.RespondXmlAsync(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></DeleteResult>");
            }
            else
            {
                await r.RespondErrorAsync(400, "NotImplemented");
            }
        });
        var engine = new SyncEngine(server.Registry());

        var deleted = await engine.DeleteAsync(StorageUri.Parse(server.Location("run")));

        Assert.Equal(["a.txt", "sub/b.txt"], deleted);
        Assert.Equal("run/", server.Requests.First(r => r.IsList).Query["prefix"]);
        string body = Encoding.UTF8.GetString(server.Requests.Single(r => r.IsDeleteObjects).Body);
        Assert.Contains("<Key>run/a.txt</Key>", body, StringComparison.Ordinal);
        Assert.Contains("<Key>run/sub/b.txt</Key>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("run2/", body, StringComparison.Ordinal);
        Assert.DoesNotContain("runner", body, StringComparison.Ordinal);
    }

    private static HostileS3Server Serve(string lie) => HostileS3Server.Start(r => r.IsList ? Lies[lie].Answer(r) : r.RespondErrorAsync(500, "InternalError", "not part of this test"));

    private static string Expected(HostileS3Server server, string lie) =>
        $"The S3 server at {server.Endpoint} returned {Lies[lie].Did} for '{StorageUri.Parse(server.Location("run"))}'; nothing was changed.";

    private static string? Token(HostileRequest r) => r.Query.TryGetValue("continuation-token", out var token) ? token : null;

    private static ListedObject Object(string key) => ListedObject.Of(key, Encoding.UTF8.GetBytes("remote " + key));
}
