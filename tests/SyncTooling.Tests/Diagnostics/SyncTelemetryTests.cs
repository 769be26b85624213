using System.Diagnostics;
using System.Diagnostics.Metrics;
using SyncTooling.Diagnostics;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Storage.Memory;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Diagnostics;

/// <summary>The meter is process-wide, so no other test's sync may run while these count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry";
}

/// <summary>What a sync records on the SyncTooling meter and activity source, as a MeterListener and an ActivityListener see it.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class SyncTelemetryTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly TelemetryRecorder _recorder = new();

    public void Dispose()
    {
        _recorder.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task KnownSync_RecordsExactCounts_AndOneSpanWithThem()
    {
        _temp.Write("src/a.txt", "1");
        _temp.Write("src/b.txt", "0123456789");
        _temp.Write("src/deep/c.txt", new string('x', 100));
        string remote = $"memory://telemetry/{Guid.NewGuid():N}";
        _temp.Write("old/extra.txt", "gone");
        await new SyncEngine().SyncAsync(StorageUri.Parse(_temp.Combine("old")), StorageUri.Parse(remote));

        var result = await _recorder.RecordAsync(() => new SyncEngine().SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote), new SyncOptions { Delete = true }));

        Assert.Equal(3, result.Transferred.Count);
        Assert.Equal(3, _recorder.Sum(SyncDiagnostics.FilesTransferred));
        Assert.Equal(111, _recorder.Sum(SyncDiagnostics.BytesTransferred));
        Assert.Equal(0, _recorder.Sum(SyncDiagnostics.FilesFailed));
        Assert.Equal(1, _recorder.Sum(SyncDiagnostics.FilesDeleted));
        var duration = Assert.Single(_recorder.Measurements, m => m.Instrument == SyncDiagnostics.Duration);
        Assert.Equal(
            [$"{SyncDiagnostics.DirectionTag}=upload", $"{SyncDiagnostics.OutcomeTag}=success", $"{SyncDiagnostics.SchemeTag}=memory"],
            duration.Tags);
        var span = Assert.Single(_recorder.Activities);
        Assert.Equal(SyncDiagnostics.SyncActivityName, span.OperationName);
        Assert.Equal(ActivityStatusCode.Ok, span.Status);
        Assert.Equal(3, span.GetTagItem("synctooling.files.transferred"));
        Assert.Equal(111L, span.GetTagItem("synctooling.bytes.transferred"));
        Assert.Equal(1, span.GetTagItem("synctooling.files.deleted"));
        Assert.Equal("upload", span.GetTagItem(SyncDiagnostics.DirectionTag));
    }

    [Fact]
    public async Task SyncWithAFailedFile_RecordsTheFailure_AndAnErrorStatus()
    {
        string remote = $"memory://telemetry/{Guid.NewGuid():N}";
        _temp.Write("src/a.bin", "data");
        await new SyncEngine().SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote));
        var registry = new StorageRegistry()
            .Register("file", uri => new FileStorage(uri))
            .Register("memory", uri => new FaultyStorage(new MemoryStorage(uri), (_, _) => new StorageException(StorageErrorKind.AccessDenied, "denied")));

        var result = await _recorder.RecordAsync(() => new SyncEngine(registry).SyncAsync(StorageUri.Parse(remote), StorageUri.Parse(_temp.Combine("down"))));

        Assert.False(result.Succeeded);
        Assert.Equal(1, _recorder.Sum(SyncDiagnostics.FilesFailed));
        Assert.Equal(0, _recorder.Sum(SyncDiagnostics.FilesTransferred));
        Assert.Contains($"{SyncDiagnostics.OutcomeTag}=failed", Assert.Single(_recorder.Measurements, m => m.Instrument == SyncDiagnostics.Duration).Tags);
        var span = Assert.Single(_recorder.Activities);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("download", span.GetTagItem(SyncDiagnostics.DirectionTag));
        Assert.Equal(1, span.GetTagItem("synctooling.files.failed"));
    }

    [Fact]
    public async Task SyncThatThrows_RecordsItsDuration_WithTheErrorType_AndAnErrorStatus()
    {
        string missing = _temp.Combine("no-such-source");

        await Assert.ThrowsAsync<SourceNotFoundException>(() =>
            _recorder.RecordAsync(() => new SyncEngine().SyncAsync(StorageUri.Parse(missing), StorageUri.Parse($"memory://telemetry/{Guid.NewGuid():N}"))));

        var duration = Assert.Single(_recorder.Measurements, m => m.Instrument == SyncDiagnostics.Duration);
        Assert.Contains($"{SyncDiagnostics.OutcomeTag}=error", duration.Tags);
        Assert.Contains($"{SyncDiagnostics.ErrorTypeTag}={typeof(SourceNotFoundException).FullName}", duration.Tags);
        Assert.DoesNotContain(_recorder.Measurements, m => m.Instrument == SyncDiagnostics.FilesTransferred);
        var span = Assert.Single(_recorder.Activities);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(nameof(SourceNotFoundException), span.StatusDescription);
    }

    [Fact]
    public async Task NoTag_CarriesALocation_KeyOrSecret()
    {
        const string Secret = "hunter2-secret";
        _temp.Write($"src-{Secret}/key-{Secret}.txt", "x");
        string remote = $"memory://telemetry/{Secret}/{Guid.NewGuid():N}";
        var registry = new StorageRegistry()
            .Register("file", uri => new FileStorage(uri))
            .Register("memory", uri => new FaultyStorage(new MemoryStorage(uri), (key, _) => new StorageException(StorageErrorKind.AccessDenied, $"denied {key} {Secret}")));
        await new SyncEngine().SyncAsync(StorageUri.Parse(_temp.Combine($"src-{Secret}")), StorageUri.Parse(remote));

        await _recorder.RecordAsync(() => new SyncEngine(registry).SyncAsync(StorageUri.Parse(remote), StorageUri.Parse(_temp.Combine($"down-{Secret}"))));
        await Assert.ThrowsAnyAsync<Exception>(() =>
            _recorder.RecordAsync(() => new SyncEngine().SyncAsync(StorageUri.Parse(_temp.Combine($"gone-{Secret}")), StorageUri.Parse(remote))));

        Assert.NotEmpty(_recorder.Measurements);
        Assert.Equal(2, _recorder.Activities.Count);
        var tags = _recorder.Measurements.SelectMany(m => m.Tags)
            .Concat(_recorder.Activities.SelectMany(a => a.TagObjects.Select(t => $"{t.Key}={t.Value}")))
            .Concat(_recorder.Activities.Select(a => a.StatusDescription ?? ""));
        Assert.All(tags, tag => Assert.DoesNotContain(Secret, tag, StringComparison.Ordinal));
        Assert.All(tags, tag => Assert.DoesNotContain(_temp.Path, tag, StringComparison.Ordinal));
    }

    /// <summary>Listens to the SyncTooling meter and source while a test's own sync runs (under a parent span, so others' spans are left out).</summary>
    private sealed class TelemetryRecorder : IDisposable
    {
        private static readonly ActivitySource TestSource = new("SyncTooling.Tests.Telemetry");
        private readonly MeterListener _meters = new();
        private readonly ActivityListener _activities;
        private readonly List<Activity> _stopped = [];
        private readonly List<(string Instrument, string[] Tags, double Value)> _measurements = [];
        private ActivityTraceId? _trace;
        private volatile bool _recording;

        public TelemetryRecorder()
        {
            _meters.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == SyncDiagnostics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
            _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
            _meters.Start();
            _activities = new ActivityListener
            {
                ShouldListenTo = s => s.Name is SyncDiagnostics.ActivitySourceName or "SyncTooling.Tests.Telemetry",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a =>
                {
                    lock (_stopped)
                    {
                        if (a.Source.Name == SyncDiagnostics.ActivitySourceName && a.TraceId == _trace)
                        {
                            _stopped.Add(a);
                        }
                    }
                },
            };
            ActivitySource.AddActivityListener(_activities);
        }

        public IReadOnlyList<(string Instrument, string[] Tags, double Value)> Measurements
        {
            get
            {
                lock (_measurements)
                {
                    return [.. _measurements];
                }
            }
        }

        public IReadOnlyList<Activity> Activities
        {
            get
            {
                lock (_stopped)
                {
                    return [.. _stopped];
                }
            }
        }

        public double Sum(string instrument) => Measurements.Where(m => m.Instrument == instrument).Sum(m => m.Value);

        public async Task<T> RecordAsync<T>(Func<Task<T>> sync)
        {
            using var parent = TestSource.StartActivity("test")!;
            lock (_stopped)
            {
                _trace = parent.TraceId;
            }

            _recording = true;
            try
            {
                return await sync();
            }
            finally
            {
                _recording = false;
            }
        }

        public void Dispose()
        {
            _meters.Dispose();
            _activities.Dispose();
        }

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (!_recording)
            {
                return;
            }

            string[] shown = [.. tags.ToArray().Select(t => $"{t.Key}={t.Value}").Order(StringComparer.Ordinal)];
            lock (_measurements)
            {
                _measurements.Add((instrument.Name, shown, value));
            }
        }
    }
}
