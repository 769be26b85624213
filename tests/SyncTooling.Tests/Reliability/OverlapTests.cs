using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Reliability;

/// <summary>
/// A source and destination where one holds the other is refused before anything is listed: mirroring would delete
/// the source as extraneous, or nest a copy one level deeper on every run.
/// </summary>
public sealed class OverlapTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly SyncEngine _engine = new();

    public OverlapTests()
    {
        _temp.Write("t/src/a", "a");
        _temp.Write("t/keep", "keep");
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SourceInsideTheTarget_IsRefused_AndTheSourceSurvives(bool fileUri)
    {
        string target = fileUri ? "file://" + _temp.Combine("t") : _temp.Combine("t");

        var error = await Assert.ThrowsAsync<SyncRefusedException>(() => SyncAsync(_temp.Combine("t", "src"), target, delete: true));

        Assert.Equal(SyncGuard.Overlap, error.Guard);
        Assert.Equal($"Refusing to sync '{_temp.Combine("t", "src")}' to '{_temp.Combine("t")}': the destination contains the source; nothing was changed.", error.Message);
        Assert.Equal(["keep", "src/a"], TempDirectory.Snapshot(_temp.Combine("t")).Keys);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TargetInsideTheSource_IsRefused_AndNothingNests(bool delete)
    {
        var error = await Assert.ThrowsAsync<SyncRefusedException>(() => SyncAsync(_temp.Combine("t"), _temp.Combine("t", "src", "bk"), delete));

        Assert.Equal($"Refusing to sync '{_temp.Combine("t")}' to '{_temp.Combine("t", "src", "bk")}': the source contains the destination; nothing was changed.", error.Message);
        Assert.Equal(["keep", "src/a"], TempDirectory.Snapshot(_temp.Combine("t")).Keys);
    }

    [Fact]
    public async Task SameFolder_SpelledDifferently_IsRefused()
    {
        var error = await Assert.ThrowsAsync<SyncRefusedException>(() => SyncAsync(_temp.Combine("t"), _temp.Combine("t", "src", "..") + "/", delete: true));

        Assert.EndsWith(": they are the same folder; nothing was changed.", error.Message, StringComparison.Ordinal);
        Assert.Equal(["keep", "src/a"], TempDirectory.Snapshot(_temp.Combine("t")).Keys);
    }

    [Fact]
    public async Task TargetThatIsALinkToTheSourcesParent_IsRefused_AndTheSourceSurvives()
    {
        Directory.CreateSymbolicLink(_temp.Combine("alias"), _temp.Combine("t"));

        var error = await Assert.ThrowsAsync<SyncRefusedException>(() => SyncAsync(_temp.Combine("t", "src"), _temp.Combine("alias"), delete: true));

        Assert.EndsWith(": the destination contains the source; nothing was changed.", error.Message, StringComparison.Ordinal);
        Assert.Equal(["keep", "src/a"], TempDirectory.Snapshot(_temp.Combine("t")).Keys);
    }

    [Fact]
    public async Task TargetThatIsARelativeLinkThroughDotDot_IsResolvedFromTheLinksFolder_AndRefused()
    {
        Directory.CreateDirectory(_temp.Combine("deep", "er"));
        Directory.CreateSymbolicLink(_temp.Combine("deep", "er", "up"), "../../t");

        var error = await Assert.ThrowsAsync<SyncRefusedException>(() => SyncAsync(_temp.Combine("t", "src"), _temp.Combine("deep", "er", "up"), delete: true));

        Assert.EndsWith(": the destination contains the source; nothing was changed.", error.Message, StringComparison.Ordinal);
        Assert.Equal(["keep", "src/a"], TempDirectory.Snapshot(_temp.Combine("t")).Keys);
    }

    [Fact]
    public async Task SiblingWithACommonNamePrefix_Syncs()
    {
        var result = await SyncAsync(_temp.Combine("t", "src"), _temp.Combine("t", "src2"), delete: true);

        Assert.Equal(["a"], result.Transferred);
    }

    [Fact]
    public async Task MemoryPrefixInsideAnother_IsRefused_BothWays()
    {
        string store = $"memory://{Guid.NewGuid():N}";
        await SyncAsync(_temp.Combine("t"), store + "/a", delete: false);

        var down = await Assert.ThrowsAsync<SyncRefusedException>(() => SyncAsync(store + "/a", store + "/a/b", delete: true));
        var up = await Assert.ThrowsAsync<SyncRefusedException>(() => SyncAsync(store + "/a/src", store + "/a", delete: true));

        Assert.Equal($"Refusing to sync '{store}/a' to '{store}/a/b': the source contains the destination; nothing was changed.", down.Message);
        Assert.Equal($"Refusing to sync '{store}/a/src' to '{store}/a': the destination contains the source; nothing was changed.", up.Message);
        Assert.Equal(["keep", "src/a"], (await _engine.ListAsync(StorageUri.Parse(store + "/a"))).Select(e => e.Key));
    }

    [Theory]
    [InlineData("s3://b/run", "s3://b/run/sub", "the source contains the destination")]
    [InlineData("s3://b/run/sub/", "s3://b/run", "the destination contains the source")]
    [InlineData("s3://b/run", "s3://b/run", "they are the same folder")]
    [InlineData("s3://b", "s3://b/run", "the source contains the destination")]
    [InlineData("s3://b/run", "s3://b/run2", null)]
    [InlineData("s3://b/run2", "s3://b/run", null)]
    [InlineData("s3://b/run", "s3://c/run/sub", null)]
    [InlineData("s3://b/run", "gs://b/run/sub", null)]
    [InlineData("s3://b/run?endpoint_override=127.0.0.1:1", "s3://b/run/sub?endpoint_override=127.0.0.1:2", null)]
    [InlineData("memory://a", "memory://a/b", "the source contains the destination")]
    public void Describe_ComparesSchemeAuthorityAndWholeSegments(string source, string destination, string? expected)
    {
        Assert.Equal(expected, OverlappingLocations.Describe(StorageUri.Parse(source), StorageUri.Parse(destination)));
    }

    [Fact]
    public async Task S3PrefixInsideAnother_IsRefused_WithoutAskingAServer()
    {
        var error = await Assert.ThrowsAsync<SyncRefusedException>(() => SyncAsync("s3://b/run?endpoint_override=127.0.0.1:1&scheme=http", "s3://b/run/sub?endpoint_override=127.0.0.1:1&scheme=http", delete: false));

        Assert.Equal(SyncGuard.Overlap, error.Guard);
    }

    private Task<SyncResult> SyncAsync(string source, string destination, bool delete) =>
        _engine.SyncAsync(StorageUri.Parse(source), StorageUri.Parse(destination), new SyncOptions { Delete = delete, Retries = 0 });
}
