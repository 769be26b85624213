using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Reliability;

/// <summary>
/// The temp files of local writes (<c>.synctmp-</c> and 12 hex digits): a killed run's leftovers are removed by the next
/// run once stale, a live one is kept, and a user's file that merely starts like one is an ordinary file.
/// </summary>
public sealed class TempFileTests : IDisposable
{
    private const string Leftover = ".synctmp-0123456789ab";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SyncDown_RemovesLeftoversUnchangedForMoreThanAnHour_AndLogsEach()
    {
        _temp.Write("remote/file.txt", "file");
        _temp.Write("target/" + Leftover, "half a file");
        _temp.Write("target/sub/.synctmp-abcdefabcdef", "half another");
        _temp.Write("target/.synctmp-notes.txt", "the user's");
        var logger = new ListLogger();
        var engine = new SyncEngine(logger: logger, timeProvider: ClockAt(DateTimeOffset.UtcNow + FileStorage.StaleTempAge + TimeSpan.FromMinutes(5)));

        var result = await engine.SyncAsync(StorageUri.Parse(_temp.Combine("remote")), StorageUri.Parse(_temp.Combine("target")));

        Assert.Empty(result.Failures);
        Assert.Equal([".synctmp-notes.txt", "file.txt"], TempDirectory.Snapshot(_temp.Combine("target")).Keys);
        Assert.Equal(
            [
                $"Removed stale temp file {Leftover} in {_temp.Combine("target")} (a leftover of an interrupted sync)",
                $"Removed stale temp file sub/.synctmp-abcdefabcdef in {_temp.Combine("target")} (a leftover of an interrupted sync)",
            ],
            logger.Lines.Where(l => l.StartsWith("Removed", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SyncDown_KeepsAFreshLeftover_WhichMayBeALiveSyncs()
    {
        _temp.Write("remote/file.txt", "file");
        _temp.Write("target/" + Leftover, "being written by another sync");

        await new SyncEngine().SyncAsync(StorageUri.Parse(_temp.Combine("remote")), StorageUri.Parse(_temp.Combine("target")));

        Assert.Equal("being written by another sync", File.ReadAllText(_temp.Combine("target", Leftover)));
    }

    [Fact]
    public async Task DryRun_RemovesNoLeftover()
    {
        _temp.Write("remote/file.txt", "file");
        _temp.Write("target/" + Leftover, "half a file");
        var engine = new SyncEngine(timeProvider: ClockAt(DateTimeOffset.UtcNow + TimeSpan.FromDays(1)));

        await engine.SyncAsync(StorageUri.Parse(_temp.Combine("remote")), StorageUri.Parse(_temp.Combine("target")), new SyncOptions { DryRun = true });

        Assert.True(File.Exists(_temp.Combine("target", Leftover)));
    }

    [Fact]
    public async Task SyncUp_NeverUploadsLeftoversOfTheSource_AndLeavesThemThere()
    {
        _temp.Write("src/file.txt", "file");
        _temp.Write("src/" + Leftover, "half a file");
        string remote = $"memory://temp-files/{Guid.NewGuid():N}";
        var engine = new SyncEngine(timeProvider: ClockAt(DateTimeOffset.UtcNow + TimeSpan.FromDays(1)));

        var result = await engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote));

        Assert.Equal(["file.txt"], result.Transferred);
        Assert.Equal(["file.txt"], (await engine.ListAsync(StorageUri.Parse(remote))).Select(e => e.Key));
        Assert.True(File.Exists(_temp.Combine("src", Leftover)));
    }

    [Theory]
    [InlineData("local")]
    [InlineData("memory")]
    public async Task UserFilesThatStartLikeTempFiles_RoundTripUpAndDown(string remoteKind)
    {
        string[] keys = [".synctmp-", ".synctmp-notes.txt", ".synctmp-0123456789AB", "sub/.synctmp-0123456789abc", "sub/.synctmp-0123456789a"];
        foreach (string key in keys)
        {
            _temp.Write("src/" + key, "user data " + key);
        }

        string remote = remoteKind == "local" ? _temp.Combine("remote") : $"memory://temp-files/{Guid.NewGuid():N}";
        var engine = new SyncEngine();

        var up = await engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote));
        var down = await engine.SyncAsync(StorageUri.Parse(remote), StorageUri.Parse(_temp.Combine("back")));

        Assert.Equal(keys.Order(StringComparer.Ordinal), up.Transferred);
        Assert.Equal(keys.Order(StringComparer.Ordinal), down.Transferred);
        Assert.Equal(TempDirectory.Snapshot(_temp.Combine("src")), TempDirectory.Snapshot(_temp.Combine("back")));
    }

    private static FakeTimeProvider ClockAt(DateTimeOffset now)
    {
        return new FakeTimeProvider(now);
    }

    private sealed class ListLogger : ILogger
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return _lines.ToList();
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add(formatter(state, exception));
            }
        }
    }
}
