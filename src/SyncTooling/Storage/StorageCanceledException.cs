namespace SyncTooling.Storage;

/// <summary>
/// A cancellation that says what the backend was waiting for when it was stopped ("no answer from the S3 server at
/// host:port within 5 s", "the listing ... did not end after 812 pages"), so a timeout can tell the user which part
/// never ended. It is an <see cref="OperationCanceledException"/>: code that handles cancellation handles it unchanged.
/// </summary>
public sealed class StorageCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was in flight, one line without a trailing period.</param>
    /// <param name="innerException">The cancellation that stopped it.</param>
    /// <param name="token">The token that was cancelled.</param>
    public StorageCanceledException(string message, Exception? innerException, CancellationToken token)
        : base(message, innerException, token)
    {
    }

    /// <summary>Creates the exception.</summary>
    public StorageCanceledException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public StorageCanceledException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public StorageCanceledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What the first <see cref="StorageCanceledException"/> in <paramref name="exception"/> (or its inner exceptions) was waiting for; null when there is none.</summary>
    public static string? ActivityOf(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case StorageCanceledException stopped:
                    return stopped.Message;
                case AggregateException aggregate:
                    return aggregate.InnerExceptions.Select(ActivityOf).FirstOrDefault(a => a is not null);
            }
        }

        return null;
    }
}
