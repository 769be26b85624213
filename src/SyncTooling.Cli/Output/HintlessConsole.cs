using System.Text;
using McMaster.Extensions.CommandLineUtils;

namespace SyncTooling.Cli.Output;

/// <summary>
/// The console CommandLineUtils writes help and version to. On a parse error 2.3.0 also prints a hint to
/// stdout before throwing; we print our own one-line error on stderr instead, so that hint is dropped here.
/// </summary>
internal sealed class HintlessConsole(IConsole inner) : DelegatingConsole(inner)
{
    private const string Hint = "Specify --help for a list of available options and commands.";

    public override TextWriter Out { get; } = new HintFilter(inner.Out);

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
