using Microsoft.Extensions.Time.Testing;
using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Build.Tests.Infrastructure;

/// <summary>Wires a task to a recording engine and a frozen clock, and reads back what a remote holds.</summary>
public static class TaskHarness
{
    /// <summary>A fresh memory:// location, so tests never see each other's files.</summary>
    public static string NewMemoryLocation() => $"memory://build-tests/{Guid.NewGuid():N}";

    public static RecordingBuildEngine Attach(SyncTaskBase task, FakeTimeProvider? clock = null, string projectFile = "")
    {
        var engine = new RecordingBuildEngine(projectFile);
        task.BuildEngine = engine;
        task.TimeProvider = clock ?? new FakeTimeProvider();

        // The tests' remotes are memory:// stores of this process; the refusal itself is tested without this.
        task.AllowMemoryStores = true;
        return engine;
    }

    /// <summary>Every file below a location with its text; empty when the location does not exist.</summary>
    public static SortedDictionary<string, string> ReadAll(string location)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var uri = StorageUri.Parse(location);
        IReadOnlyList<StorageEntry> entries;
        try
        {
            entries = new SyncEngine().ListAsync(uri).GetAwaiter().GetResult();
        }
        catch (StorageException ex) when (ex.Kind == StorageErrorKind.NotFound)
        {
            return result;
        }

        var storage = StorageRegistry.Default.Open(uri);
        foreach (var entry in entries)
        {
            using var reader = new StreamReader(storage.OpenReadAsync(entry.Key).GetAwaiter().GetResult());
            result[entry.Key] = reader.ReadToEnd();
        }

        storage.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return result;
    }

    /// <summary>Puts files into a location through the engine, as another machine would have.</summary>
    public static void Seed(string location, params (string Key, string Text)[] files)
    {
        using var source = new TempDirectory();
        foreach (var (key, text) in files)
        {
            source.Write(key, text);
        }

        new SyncEngine().SyncAsync(StorageUri.Parse(source.Path), StorageUri.Parse(location)).GetAwaiter().GetResult();
    }
}
