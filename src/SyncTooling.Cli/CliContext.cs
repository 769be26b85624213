using McMaster.Extensions.CommandLineUtils;
using SyncTooling.Storage;

namespace SyncTooling.Cli;

/// <summary>
/// What every command shares: the console, the clock, the storage backends and the interrupt signals.
/// Injected into the commands so tests can swap each one.
/// </summary>
internal sealed class CliContext : IDisposable
{
    private readonly CancellationTokenSource _interrupted = new();
    private readonly CancellationTokenSource _forceQuit = new();
    private int _signals;

    public CliContext(IConsole console, TimeProvider timeProvider, StorageRegistry registry)
    {
        Console = console;
        TimeProvider = timeProvider;
        Registry = registry;
        console.CancelKeyPress += OnCancelKeyPress;
    }

    public IConsole Console { get; }

    public TimeProvider TimeProvider { get; }

    public StorageRegistry Registry { get; }

    /// <summary>The command line as given: the parser keeps each option's values, but not how --include and --exclude interleave.</summary>
    public IReadOnlyList<string> Arguments { get; set; } = [];

    /// <summary>The terminal's width in columns, for the live progress line; 0 when unknown (nothing is cut).</summary>
    public int TerminalWidth { get; init; }

    /// <summary>Cancelled by the first Ctrl+C or SIGTERM.</summary>
    public CancellationToken Interrupted => _interrupted.Token;

    /// <summary>Cancelled by the second: `watch` lets its final sync run after the first, and gives up after this one.</summary>
    public CancellationToken ForceQuit => _forceQuit.Token;

    /// <summary>Records a Ctrl+C or SIGTERM; returns false from the third on, when the process should just die.</summary>
    public bool RequestStop()
    {
        int count = Interlocked.Increment(ref _signals);
        if (count == 1)
        {
            _interrupted.Cancel();
        }
        else if (count == 2)
        {
            _forceQuit.Cancel();
        }

        return count <= 2;
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _interrupted.Dispose();
        _forceQuit.Dispose();
    }

    // Cancelling the event keeps the process alive so the running transfer can stop cleanly.
    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e) => e.Cancel = RequestStop();
}
