using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Sync;

/// <summary>
/// The download state and partial-download records are JSON files in the user's state folder, read by generated
/// (source-generated, not reflection) serializers: they must read what earlier versions wrote, survive their own round
/// trip, and treat a file edited into nulls as no record, never as a crash.
/// </summary>
public sealed class StateFileTests : IDisposable
{
    private static readonly StorageUri Source = StorageUri.Parse("s3://bucket/run");
    private static readonly StorageUri Target = StorageUri.Parse("/tmp/restore");
    private static readonly DateTimeOffset Remote = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly DateTimeOffset Local = new(2026, 1, 2, 3, 4, 6, TimeSpan.Zero);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string StatePath => _temp.Combine("down-" + DownloadState.PairId(Source, Target) + ".json");

    private static StorageEntry RemoteEntry(string key) => new(key, 3, Remote) { ETag = "\"e1\"" };

    private static StorageEntry LocalEntry(string key) => new(key, 3, Local);

    [Fact]
    public void DownloadState_SurvivesItsOwnRoundTrip()
    {
        var state = DownloadState.Load(_temp.Path, Source, Target);
        state.Set(RemoteEntry("a.txt"), Local);
        Assert.Null(state.Save(new HashSet<string>(["a.txt"], StringComparer.Ordinal)));

        var reloaded = DownloadState.Load(_temp.Path, Source, Target);

        Assert.True(reloaded.Matches(RemoteEntry("a.txt"), LocalEntry("a.txt")));
        Assert.False(reloaded.Matches(RemoteEntry("a.txt") with { ETag = "\"e2\"" }, LocalEntry("a.txt")));
    }

    [Fact]
    public void DownloadState_ReadsTheFileEarlierVersionsWrote()
    {
        // The exact shape the reflection-based serializer wrote before the generated one.
        string record = $$"""{"Size":3,"ETag":"\"e1\"","RemoteTicks":{{Remote.UtcTicks}},"LocalTicks":{{Local.UtcTicks}}}""";
        File.WriteAllText(StatePath, """{"Version":1,"Records":{"a.txt":""" + record + "}}");

        var state = DownloadState.Load(_temp.Path, Source, Target);

        Assert.True(state.Matches(RemoteEntry("a.txt"), LocalEntry("a.txt")));
    }

    [Theory]
    [InlineData("""{"Version":1,"Records":{"a.txt":null}}""")]
    [InlineData("""{"Version":1,"Records":null}""")]
    [InlineData("""{"Version":1}""")]
    [InlineData("""{"Records":{"a.txt":{}}}""")]
    [InlineData("null")]
    public void DownloadState_EditedIntoNulls_IsNoRecord_NeverACrash(string json)
    {
        File.WriteAllText(StatePath, json);

        var state = DownloadState.Load(_temp.Path, Source, Target);

        Assert.False(state.Matches(RemoteEntry("a.txt"), LocalEntry("a.txt")));
    }

    [Theory]
    [InlineData("""{"Key":"big.bin","ETag":"\"e1\"","Size":10,"RangeSize":5,"Temp":".big.bin.tmp"}""")]
    [InlineData("""{"Key":"big.bin","Size":10,"RangeSize":5,"Temp":".big.bin.tmp","Written":[5,0]}""")]
    [InlineData("""{"Key":"big.bin","ETag":"\"e1\"","Size":10,"RangeSize":5,"Written":[5,0]}""")]
    public void PartialDownload_MissingAField_IsNoRecord(string json)
    {
        var records = PartialDownloads.Open(_temp.Path, Source, Target);
        string? saved = records.Save(new PartialDownloads.Record("big.bin", "\"e1\"", 10, 5, ".big.bin.tmp", [5, 0]));
        Assert.Null(saved);
        string path = Assert.Single(Directory.GetFiles(_temp.Path, "partial-*.json"));
        Assert.Equal([5, 0], PartialDownloads.Open(_temp.Path, Source, Target).Find("big.bin")?.Written ?? []);

        File.WriteAllText(path, json);

        Assert.Null(PartialDownloads.Open(_temp.Path, Source, Target).Find("big.bin"));
    }
}
