using System.Net.Http;
using System.Net.Sockets;
using SyncTooling.Storage;

namespace SyncTooling.Sync;

/// <summary>The one place that decides whether a failure is worth retrying.</summary>
public static class ErrorClassifier
{
    /// <summary>
    /// True for failures that may go away on their own: storage errors classified transient, network
    /// errors, and timeouts that were not asked for through <paramref name="cancellationToken"/>.
    /// </summary>
    public static bool IsTransient(Exception exception, CancellationToken cancellationToken = default) => exception switch
    {
        StorageException s => s.IsTransient,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        TimeoutException or HttpRequestException or SocketException => true,

        // A body cut short ("The response ended prematurely"): the server closed early, the next attempt may get it all.
        HttpIOException => true,
        IOException io => io.InnerException is SocketException || io.GetType() == typeof(IOException) && io.InnerException is not null,
        _ => false,
    };
}
