using SyncTooling.Sync;

namespace SyncTooling;

/// <summary>A sync that did not complete: some files failed, or the sync was refused before it changed anything.</summary>
public class SyncException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SyncException()
        : base("The sync failed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public SyncException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SyncException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a sync that ran with failures.</summary>
    public SyncException(string message, SyncResult result)
        : base(message)
    {
        Result = result;
    }

    /// <summary>What the sync did before it failed, when it ran at all.</summary>
    public SyncResult? Result { get; }
}

/// <summary>The source of a sync does not exist; nothing was transferred or deleted.</summary>
public sealed class SourceNotFoundException : SyncException
{
    /// <summary>Creates the exception.</summary>
    public SourceNotFoundException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public SourceNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SourceNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>What a <see cref="SyncRefusedException"/> guards against; each front end names its own option that forces it.</summary>
public enum SyncGuard
{
    /// <summary>A sync with Delete from an empty source (almost always a mount that is not there); <see cref="Sync.SyncOptions.AllowEmptySource"/> forces it.</summary>
    EmptySource,

    /// <summary>A delete of a file system root, the home or current folder (or one holding them), or a whole bucket; the <c>force</c> argument forces it.</summary>
    BroadDelete,

    /// <summary>A source and destination in the same storage where one holds the other, or both are the same folder; nothing forces it.</summary>
    Overlap,
}

/// <summary>
/// A guard refused the operation before it changed anything. Except for <see cref="SyncGuard.Overlap"/>, an explicit
/// option would force it: the message ends with the library's option; front ends print <see cref="MessageWith"/> with
/// their own option name.
/// </summary>
public sealed class SyncRefusedException : SyncException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="guard">The guard that refused.</param>
    /// <param name="refusal">What was refused and why, one sentence without the final period.</param>
    public SyncRefusedException(SyncGuard guard, string refusal)
        : base(Compose(guard, refusal, guard == SyncGuard.EmptySource ? "SyncOptions.AllowEmptySource" : "force: true"))
    {
        Guard = guard;
        Refusal = refusal;
    }

    /// <summary>The guard that refused.</summary>
    public SyncGuard Guard { get; }

    /// <summary>What was refused and why, without the sentence on how to force it.</summary>
    public string Refusal { get; }

    /// <summary>
    /// The one-line message naming <paramref name="forceOption"/> (e.g. <c>--allow-empty-source</c>) as the way to force
    /// it; for <see cref="SyncGuard.Overlap"/>, which nothing forces, the message without any option.
    /// </summary>
    public string MessageWith(string forceOption) => Compose(Guard, Refusal, forceOption);

    private static string Compose(SyncGuard guard, string refusal, string forceOption) =>
        guard == SyncGuard.Overlap ? $"{refusal}; nothing was changed." : $"{refusal}. Nothing was changed; {forceOption} forces it.";
}
