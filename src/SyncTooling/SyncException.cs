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
