using System.Globalization;
using McMaster.Extensions.CommandLineUtils;
using SyncTooling.Storage;
using SyncTooling.Sync;

namespace SyncTooling.Cli.Commands;

/// <summary>
/// What every command that talks to storage has: --timeout (the whole command ends within it, whatever the server
/// does) and --retries (the whole bound on how often each request is sent).
/// </summary>
internal abstract class RemoteCommandBase(CliContext context) : CommandBase(context)
{
    [Option("--timeout <SECONDS>", Description = "Stop after this many seconds, whatever the server does (default 1800, SyncConfig's SyncTimeout).")]
    public string? Timeout { get; set; }

    [Option("--retries <N>", Description = "Retries of each request after a transient failure, 0 to 100 (default 3); 0 sends every request once.")]
    public int Retries { get; set; } = SyncOptions.DefaultRetries;

    [Option("--endpoint-url <URL>", Description = "The S3 endpoint of every s3:// location, e.g. http://127.0.0.1:9000 (as ?endpoint_override=).")]
    public string? EndpointUrl { get; set; }

    [Option("--region <NAME>", Description = "The region of every s3:// location, e.g. eu-west-1 (as ?region=).")]
    public string? Region { get; set; }

    [Option("--profile <NAME>", Description = "The AWS profile (credentials, region, endpoint_url) of every s3:// location (as ?profile=).")]
    public string? Profile { get; set; }

    protected TimeSpan SyncTimeout => ParseSeconds(Timeout, "--timeout", Syncer.DefaultSyncTimeout);

    /// <summary>Parses a positive number of seconds (invariant culture: "1.5", never "1,5").</summary>
    protected static TimeSpan ParseSeconds(string? text, string option, TimeSpan fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || double.IsNaN(seconds) || double.IsInfinity(seconds))
        {
            throw new UsageException($"{option} is '{text}'; it must be a number of seconds greater than 0.");
        }

        if (seconds <= 0)
        {
            throw new UsageException($"{option} is {text}; it must be a number of seconds greater than 0.");
        }

        if (seconds > Syncer.MaxSyncTimeout.TotalSeconds)
        {
            throw new UsageException($"{option} is {text}; it must be at most {Syncer.MaxSyncTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds (about 49 days, the longest a timer runs).");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <inheritdoc />
    protected override string WithCommandOptions(string location, string what) =>
        S3CommandOptions.Apply(location, what, [("--endpoint-url", "endpoint_override", EndpointUrl), ("--region", "region", Region), ("--profile", "profile", Profile)]);

    /// <summary>Checks --retries and --timeout, so a bad value fails before anything is read or written.</summary>
    protected void CheckRemoteOptions()
    {
        if (Retries is < 0 or > 100)
        {
            throw new UsageException($"--retries is {Retries}; it must be between 0 and 100.");
        }

        _ = SyncTimeout;
    }

    /// <summary>
    /// Runs <paramref name="work"/> within --timeout. Past it the work is cancelled and the error names what never
    /// ended (the storage says: no answer, an answer too slow, a listing without end), followed by <paramref name="after"/>.
    /// </summary>
    protected async Task<T> WithTimeoutAsync<T>(string what, string after, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var timeout = SyncTimeout;
        using var timeoutSource = new CancellationTokenSource(timeout, Context.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            return await work(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            string? stoppedWhile = StorageCanceledException.ActivityOf(ex);
            throw new TimeoutException(
                $"{what} ran longer than --timeout ({timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s) and was stopped{(stoppedWhile is null ? "" : ": " + stoppedWhile)}; {after}",
                ex);
        }
    }
}
