using McMaster.Extensions.CommandLineUtils;

namespace SyncTooling.Cli.Output;

/// <summary>An <see cref="IConsole"/> that passes everything on to another one but for the writers it puts in front.</summary>
internal abstract class DelegatingConsole(IConsole inner) : IConsole
{
    public abstract TextWriter Out { get; }

    public virtual TextWriter Error => inner.Error;

    public TextReader In => inner.In;

    public bool IsInputRedirected => inner.IsInputRedirected;

    public bool IsOutputRedirected => inner.IsOutputRedirected;

    public bool IsErrorRedirected => inner.IsErrorRedirected;

    public ConsoleColor ForegroundColor { get => inner.ForegroundColor; set => inner.ForegroundColor = value; }

    public ConsoleColor BackgroundColor { get => inner.BackgroundColor; set => inner.BackgroundColor = value; }

    public event ConsoleCancelEventHandler? CancelKeyPress
    {
        add => inner.CancelKeyPress += value;
        remove => inner.CancelKeyPress -= value;
    }

    public void ResetColor() => inner.ResetColor();
}
