using McMaster.Extensions.CommandLineUtils;

namespace SyncTooling.Cli;

/// <summary>
/// The POSIX end of options: after the first <c>--</c> that is not an option's value, every word is an operand, even
/// one that starts with '-' (<c>sync up -- -data/ s3://b/p</c>). CommandLineUtils 2.3 can only pass such words on
/// unparsed, so before parsing an operand that starts with '-' becomes the same path written with "./" in front (a
/// location never starts with '-': a URI starts with its scheme), and the <c>--</c> is dropped.
/// </summary>
internal static class EndOfOptions
{
    public static string[] Apply(CommandLineApplication app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
        CommandLineApplication command = app;
        for (int i = 0; i < args.Length; i++)
        {
            string word = args[i];
            if (word == "--")
            {
                return [.. args[..i], .. args[(i + 1)..].Select(AsOperand)];
            }

            if (TakesSeparateValue(command, word))
            {
                i++; // The next word is this option's value, even when it is "--".
            }
            else if (!word.StartsWith('-') && command.Commands.FirstOrDefault(c => c.Name == word) is { } sub)
            {
                command = sub;
            }
        }

        return args;
    }

    private static string AsOperand(string word) => word.Length > 1 && word[0] == '-' ? "./" + word : word;

    /// <summary>Whether <paramref name="word"/> is an option of <paramref name="command"/> whose value is the next word.</summary>
    private static bool TakesSeparateValue(CommandLineApplication command, string word)
    {
        if (word.Length < 2 || word[0] != '-' || word.Contains('=', StringComparison.Ordinal) || word.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        bool isLong = word[1] == '-';
        string name = isLong ? word[2..] : word[1..];
        var option = command.GetOptions().FirstOrDefault(o => isLong ? o.LongName == name : o.ShortName == name);
        return option is { OptionType: CommandOptionType.SingleValue or CommandOptionType.MultipleValue };
    }
}
