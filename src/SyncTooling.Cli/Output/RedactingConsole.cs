using System.Text;
using McMaster.Extensions.CommandLineUtils;

namespace SyncTooling.Cli.Output;

/// <summary>The console every command and CommandLineUtils write to: each line goes out through a <see cref="SecretMask"/>.</summary>
internal sealed class RedactingConsole(IConsole inner, SecretMask mask) : DelegatingConsole(inner)
{
    public override TextWriter Out { get; } = TextWriter.Synchronized(new MaskingWriter(inner.Out, mask));

    public override TextWriter Error { get; } = TextWriter.Synchronized(new MaskingWriter(inner.Error, mask));

    /// <summary>
    /// Masks each string written as a whole (every message, exception text and JSON line is one write); single
    /// characters are held until a line ends, so a secret written a character at a time is still whole when masked.
    /// </summary>
    private sealed class MaskingWriter(TextWriter inner, SecretMask mask) : TextWriter
    {
        private readonly StringBuilder _pending = new();

        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            _pending.Append(value);
            if (value is '\n' or '\r')
            {
                Emit();
            }
        }

        public override void Write(string? value)
        {
            _pending.Append(value);
            Emit();
        }

        public override void WriteLine(string? value)
        {
            _pending.Append(value).Append(CoreNewLine);
            Emit();
        }

        public override void Flush()
        {
            Emit();
            inner.Flush();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Emit();
            }

            base.Dispose(disposing);
        }

        private void Emit()
        {
            if (_pending.Length > 0)
            {
                inner.Write(mask.Apply(_pending.ToString()));
                _pending.Clear();
            }
        }
    }
}
