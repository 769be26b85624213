using System.Text;
using SyncTooling.Cli.Config;
using SyncTooling.Sync;
using SyncTooling.Validation;

namespace SyncTooling.Cli.Commands;

/// <summary>
/// --include, --exclude (-x) and --exclude-from in the order they were typed, as aws-cli applies them (the last
/// match wins). The parser keeps each option's values but not how they interleave, so the command line is read
/// again here, and the result is checked against what the parser saw.
/// </summary>
internal static class FilterArguments
{
    private const string Include = "--include";
    private const string ExcludeFrom = "--exclude-from";
    private static readonly string[] ExcludeNames = ["--exclude", "-x"];

    /// <summary>The filters in command-line order; patterns of an --exclude-from file stand where the option stood.</summary>
    public static List<SyncFilter> Read(IReadOnlyList<string> arguments, IReadOnlyList<string> includes, IReadOnlyList<string> excludes, IReadOnlyList<string> excludeFiles, TimeProvider timeProvider)
    {
        var typed = Scan(arguments);
        if (!typed.Where(t => t.Name == Include).Select(t => t.Value).SequenceEqual(includes, StringComparer.Ordinal)
            || !typed.Where(t => t.Name == "--exclude").Select(t => t.Value).SequenceEqual(excludes, StringComparer.Ordinal)
            || !typed.Where(t => t.Name == ExcludeFrom).Select(t => t.Value).SequenceEqual(excludeFiles, StringComparer.Ordinal))
        {
            throw new UsageException("cannot tell the order of --include and --exclude here; write each as '--include PATTERN' or '--include=PATTERN'.");
        }

        var filters = new List<SyncFilter>();
        foreach (var (name, value) in typed)
        {
            switch (name)
            {
                case Include:
                    filters.Add(SyncFilter.Include(Checked(value, "Include pattern", null)));
                    break;
                case ExcludeFrom:
                    filters.AddRange(ReadFile(value, timeProvider).Select(SyncFilter.Exclude));
                    break;
                default:
                    filters.Add(SyncFilter.Exclude(Checked(value, "Exclude pattern", null)));
                    break;
            }
        }

        return filters;
    }

    /// <summary>One pattern a line; blank lines and lines starting with '#' are skipped (rclone's --exclude-from).</summary>
    private static IEnumerable<string> ReadFile(string path, TimeProvider timeProvider)
    {
        // Options are built before anything runs and the tool has no synchronization context, so waiting here is safe.
        byte[] bytes = BoundedFile.ReadAsync(path, "--exclude-from", "a text file with one pattern a line", "a pattern file holds a few lines.", timeProvider)
            .GetAwaiter().GetResult();
        string[] lines = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetString(bytes).TrimStart('\uFEFF').Split('\n');
        var patterns = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.Trim().Length > 0 && !line.StartsWith('#'))
            {
                patterns.Add(Checked(line, "Exclude pattern", $"--exclude-from '{path}' line {i + 1}: "));
            }
        }

        return patterns;
    }

    private static string Checked(string pattern, string what, string? where)
    {
        // SYNC009 is a warning in code, where a pattern may be intended; on the command line it is a typo.
        if (SyncRules.CheckFilterPattern(pattern, what) is { } finding)
        {
            throw new UsageException(finding.RuleId + ": " + where + finding.Message);
        }

        return pattern;
    }

    private static List<(string Name, string Value)> Scan(IReadOnlyList<string> arguments)
    {
        var typed = new List<(string Name, string Value)>();
        for (int i = 0; i < arguments.Count; i++)
        {
            // The arguments come after EndOfOptions.Apply: the end-of-options "--" is gone and the operands after it
            // start with "./", so a "--" left here is some option's value (--region --), not the end of the options.
            string argument = arguments[i];
            foreach (string name in (string[])[Include, ExcludeFrom, .. ExcludeNames])
            {
                string canonical = Array.IndexOf(ExcludeNames, name) >= 0 ? "--exclude" : name;
                if (argument == name && i + 1 < arguments.Count)
                {
                    typed.Add((canonical, arguments[++i]));
                    break;
                }

                if (argument.Length > name.Length && argument.StartsWith(name, StringComparison.Ordinal) && argument[name.Length] is '=' or ':')
                {
                    typed.Add((canonical, argument[(name.Length + 1)..]));
                    break;
                }
            }
        }

        return typed;
    }
}
