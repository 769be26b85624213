using System.Diagnostics;
using System.Text;
using CsCheck;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Fuzz;

/// <summary>
/// The bounded fuzz pass every target runs in CI: CsCheck generates inputs on one thread for a few seconds
/// (<see cref="Seconds"/>; set <c>CsCheck_Time</c> for a longer hunt), each input must finish within <see cref="PerInput"/>, and a failure is shrunk and reported with the seed
/// that replays it (set <c>CsCheck_Seed</c> to that value). Every input a pass finds goes into the committed corpus
/// (tests/fuzz/corpus/TARGET/), which <see cref="Corpus"/> replays exactly.
/// </summary>
public static class FuzzPass
{
    /// <summary>Far above what any input takes (microseconds); only a hang or a blow-up gets near it.</summary>
    public static readonly TimeSpan PerInput = TimeSpan.FromSeconds(10);

    /// <summary>How long one pass generates inputs in CI.</summary>
    public const int Seconds = 3;

    public static void Run<T>(Gen<T> gen, Action<T> property, Func<T, string>? print = null) =>
        gen.Sample(input => WithinBound(() => property(input)), time: Seconds, threads: 1, print: print);

    public static async Task RunAsync<T>(Gen<T> gen, Func<T, Task> property, Func<T, string>? print = null) =>
        await gen.SampleAsync(input => WithinBoundAsync(() => property(input)), time: Seconds, threads: 1, print: print);

    /// <summary>C#-escaped, so control characters, lone surrogates and NULs in a failing input are visible.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in text)
        {
            sb.Append(c is < ' ' or '"' or '\\' or (>= '\u007f' and <= '\u00a0') || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return sb.Append('"').ToString();
    }

    private static void WithinBound(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        Assert.True(watch.Elapsed < PerInput, $"one input took {watch.Elapsed}");
    }

    private static async Task WithinBoundAsync(Func<Task> action)
    {
        var task = action();
        var finished = await Task.WhenAny(task, Task.Delay(PerInput));
        Assert.True(finished == task, $"one input did not finish within {PerInput}");
        await task;
    }
}

/// <summary>The committed corpus: tests/fuzz/corpus/TARGET/, one input per file, replayed byte for byte.</summary>
public static class Corpus
{
    public static string Folder(string target) => Path.Combine(RepositoryRoot.Path, "tests", "fuzz", "corpus", target);

    /// <summary>The file names of a target's corpus, for [MemberData]; an empty corpus fails, so a moved folder cannot pass silently.</summary>
    public static TheoryData<string> Files(string target)
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.EnumerateFiles(Folder(target)).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal))
        {
            data.Add(file);
        }

        Assert.True(data.Count > 0, "no corpus files in " + Folder(target));
        return data;
    }

    public static byte[] Bytes(string target, string file) => File.ReadAllBytes(Path.Combine(Folder(target), file));

    /// <summary>The file as text: UTF-8, invalid bytes replaced by U+FFFD as the runtime does with argv, nothing trimmed.</summary>
    public static string Text(string target, string file) => new UTF8Encoding(false, false).GetString(Bytes(target, file));
}
