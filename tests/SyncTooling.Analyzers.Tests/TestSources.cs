namespace SyncTooling.Analyzers.Tests;

/// <summary>Pieces the test sources share, so each test shows only the lines it is about.</summary>
internal static class TestSources
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using SyncTooling;
        using SyncTooling.Sync;

        """;

    public const string CustomSyncer = """

        sealed class MySyncer : Syncer
        {
            protected override Task SyncUpCoreAsync(string localDir, string remoteDir, IReadOnlyList<string> exclude, CancellationToken cancellationToken) => Task.CompletedTask;
            protected override Task SyncDownCoreAsync(string remoteDir, string localDir, IReadOnlyList<string> exclude, CancellationToken cancellationToken) => Task.CompletedTask;
            protected override Task DeleteCoreAsync(string remoteDir, CancellationToken cancellationToken) => Task.CompletedTask;
        }

        """;

    /// <summary>A class Sample whose body is <paramref name="members"/>, with the usings and a custom syncer.</summary>
    public static string InClass(string members) => Usings + "class Sample\n{\n" + members + "\n}\n" + CustomSyncer;
}
