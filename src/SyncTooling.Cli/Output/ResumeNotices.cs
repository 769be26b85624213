using McMaster.Extensions.CommandLineUtils;
using Microsoft.Extensions.Logging;
using SyncTooling.Storage;

namespace SyncTooling.Cli.Output;

/// <summary>
/// Shows what the backends say about resuming interrupted uploads (<see cref="ResumeEvents"/>) on stderr, one line
/// each: "warning: ..." always (an upload that cannot resume on this server), "note: ..." unless --quiet. The
/// engine's own log lines are not shown: the reporter tells those already.
/// </summary>
internal sealed class ResumeNotices(IConsole console, OutputMode mode) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= (mode == OutputMode.Quiet ? LogLevel.Warning : LogLevel.Information);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Id is >= ResumeEvents.First and <= ResumeEvents.Last && IsEnabled(logLevel))
        {
            console.Error.WriteLine((logLevel >= LogLevel.Warning ? "warning: " : "note: ") + formatter(state, exception));
        }
    }
}
