using System.Text;
using McMaster.Extensions.CommandLineUtils;

namespace SyncTooling.Cli.Output;

/// <summary>
/// The console CommandLineUtils writes help and version to. On a parse error 2.3.0 also prints a hint to
/// stdout before throwing; we print our own one-line error on stderr instead, so that hint is dropped here.
/// </summary>
internal sealed class HintlessConsole(IConsole inner) : IConsole
{
    private const string Hint = "Specify --help for a list of available options and commands.";

    public TextWriter Out { get; } = new HintFilter(inner.Out);

    public TextWriter Error => inner.Error;

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

    private sealed class HintFilter(TextWriter inner) : TextWriter
    {
        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value) => inner.Write(value);

        public override void Write(string? value) => inner.Write(value);

        public override void WriteLine(string? value)
        {
            if (value != Hint)
            {
                inner.WriteLine(value);
            }
        }

        public override void Flush() => inner.Flush();
    }
}
