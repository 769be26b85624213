using System.Reflection;
using McMaster.Extensions.CommandLineUtils;

namespace SyncTooling.Cli.Tests.Infrastructure;

/// <summary>An IConsole that records stdout and stderr and can press Ctrl+C.</summary>
public sealed class TestConsole(bool outputRedirected = true) : IConsole
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    public TextWriter Out => TextWriter.Synchronized(_out);

    public TextWriter Error => TextWriter.Synchronized(_error);

    public TextReader In { get; } = new StringReader(string.Empty);

    public bool IsInputRedirected => true;

    public bool IsOutputRedirected { get; } = outputRedirected;

    public bool IsErrorRedirected => true;

    public ConsoleColor ForegroundColor { get; set; }

    public ConsoleColor BackgroundColor { get; set; }

    public event ConsoleCancelEventHandler? CancelKeyPress;

    public string Stdout
    {
        get
        {
            lock (_out)
            {
                return _out.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public void ResetColor()
    {
    }

    /// <summary>Raises CancelKeyPress as the runtime does on Ctrl+C; returns whether the handler kept the process alive.</summary>
    public bool PressCtrlC()
    {
        // ConsoleCancelEventArgs has only an internal constructor.
        var args = (ConsoleCancelEventArgs)Activator.CreateInstance(
            typeof(ConsoleCancelEventArgs),
            BindingFlags.Instance | BindingFlags.NonPublic,
            binder: null,
            args: [ConsoleSpecialKey.ControlC],
            culture: null)!;
        CancelKeyPress?.Invoke(this, args);
        return args.Cancel;
    }
}
