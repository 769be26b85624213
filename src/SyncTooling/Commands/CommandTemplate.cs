using System.Text;
using System.Text.RegularExpressions;

namespace SyncTooling.Commands;

/// <summary>
/// A command line split into arguments once, with <c>{source}</c>, <c>{target}</c> and <c>{options}</c>
/// placeholders filled in per argument, so a value never becomes more than one argument and no shell ever
/// sees it.
/// </summary>
/// <remarks>
/// Splitting follows POSIX shell quoting only: whitespace separates arguments, <c>'...'</c> is literal,
/// <c>"..."</c> keeps spaces and honours <c>\"</c> and <c>\\</c>, a backslash outside quotes escapes the next
/// character. Nothing is expanded (<c>$VAR</c>, <c>~</c>, globs, <c>;</c> are plain text).
/// </remarks>
public sealed partial class CommandTemplate
{
    private readonly string[] _arguments;

    private CommandTemplate(string text, string[] arguments)
    {
        Text = text;
        _arguments = arguments;
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>Parses a template and checks it has the placeholders it needs.</summary>
    /// <param name="text">The command, e.g. <c>rsync -a {options} {source}/ {target}/</c>.</param>
    /// <param name="required">Placeholders that must appear, e.g. <c>source</c> and <c>target</c>.</param>
    /// <exception cref="ArgumentException">Unbalanced quotes, an unknown placeholder, <c>{options}</c> inside a larger argument, or a missing required placeholder.</exception>
    public static CommandTemplate Parse(string text, params string[] required)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var arguments = Split(text);
        foreach (string argument in arguments)
        {
            foreach (Match m in Placeholder().Matches(argument))
            {
                if (m.Groups[1].Value is not ("source" or "target" or "options"))
                {
                    throw new ArgumentException($"The command template '{text}' has an unknown placeholder {m.Value}; allowed are {{source}}, {{target}} and {{options}}.", nameof(text));
                }
            }

            if (argument.Contains("{options}", StringComparison.Ordinal) && argument != "{options}")
            {
                throw new ArgumentException($"In the command template '{text}', {{options}} must be an argument of its own (it becomes zero or more arguments), not part of '{argument}'.", nameof(text));
            }
        }

        foreach (string name in required)
        {
            if (!arguments.Any(a => a.Contains("{" + name + "}", StringComparison.Ordinal)))
            {
                throw new ArgumentException($"The command template '{text}' needs a {{{name}}} placeholder.", nameof(text));
            }
        }

        if (arguments[0].Contains('{', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The command template '{text}' must start with a program name, not a placeholder.", nameof(text));
        }

        return new CommandTemplate(text, arguments);
    }

    /// <summary>The argument vector for one run: program first.</summary>
    public IReadOnlyList<string> Render(string source, string target, IReadOnlyList<string> options)
    {
        var argv = new List<string>(_arguments.Length + options.Count);
        foreach (string argument in _arguments)
        {
            if (argument == "{options}")
            {
                argv.AddRange(options);
            }
            else
            {
                argv.Add(argument.Replace("{source}", source, StringComparison.Ordinal).Replace("{target}", target, StringComparison.Ordinal));
            }
        }

        return argv;
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    private static string[] Split(string text)
    {
        var arguments = new List<string>();
        var current = new StringBuilder();
        bool inArgument = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                if (inArgument)
                {
                    arguments.Add(current.ToString());
                    current.Clear();
                    inArgument = false;
                }

                continue;
            }

            inArgument = true;
            if (c == '\'')
            {
                int end = text.IndexOf('\'', i + 1);
                if (end < 0)
                {
                    throw new ArgumentException($"The command template '{text}' has an unclosed single quote.", nameof(text));
                }

                current.Append(text, i + 1, end - i - 1);
                i = end;
            }
            else if (c == '"')
            {
                i = ReadDoubleQuoted(text, i + 1, current);
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                current.Append(text[++i]);
            }
            else
            {
                current.Append(c);
            }
        }

        if (inArgument)
        {
            arguments.Add(current.ToString());
        }

        return arguments.Count > 0 ? [.. arguments] : throw new ArgumentException("The command template is empty.", nameof(text));
    }

    private static int ReadDoubleQuoted(string text, int start, StringBuilder current)
    {
        for (int i = start; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '"')
            {
                return i;
            }

            if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\')
            {
                c = text[++i];
            }

            current.Append(c);
        }

        throw new ArgumentException($"The command template '{text}' has an unclosed double quote.", nameof(text));
    }

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex Placeholder();
}
