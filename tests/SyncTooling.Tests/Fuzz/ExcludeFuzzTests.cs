using System.Text.Json;
using CsCheck;
using SyncTooling.Tests.Infrastructure;
using SyncTooling.Sync;
using SyncTooling.Validation;

namespace SyncTooling.Tests.Fuzz;

/// <summary>
/// Any exclude pattern: ExcludeMatcher compiles it and matches any key without an exception or a hang, SyncRules
/// checks it in one line, and on keys without '/' it says exactly what Python's fnmatch says (Ray's semantics).
/// </summary>
public sealed class ExcludeFuzzTests
{
    public static TheoryData<string> CorpusFiles => Corpus.Files("exclude");

    [Fact]
    public void BoundedPass_EveryPatternCompilesAndMatches() =>
        FuzzPass.Run(Gen.Select(FuzzInputs.Pattern, FuzzInputs.Key.Array[1, 4]), input => Check(input.Item1, input.Item2), input => FuzzPass.Escape(input.Item1));

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Corpus_EveryPatternCompilesAndMatches(string file) =>
        Check(Corpus.Text("exclude", file), ["a", "z", "-", "]", "x/y", "logs/a.tmp", "\ud83d\ude00", string.Empty]);

    [Fact]
    public void SixThousandCases_MatchLikePythonsFnmatch()
    {
        string golden = Path.Combine(RepositoryRoot.Path, "tests", "fuzz", "fnmatch", "python-fnmatch.jsonl");
        var mismatches = new List<string>();

        foreach (string line in File.ReadLines(golden).Where(l => l.Length > 0))
        {
            var fields = JsonSerializer.Deserialize<JsonElement[]>(line)!;
            string pattern = fields[0].GetString()!;
            string key = fields[1].GetString()!;
            if (new ExcludeMatcher([pattern]).IsExcluded(key) != fields[2].GetBoolean())
            {
                mismatches.Add(line);
            }
        }

        Assert.Empty(mismatches);
    }

    [Fact]
    public void HugePattern_CompilesAndMatchesInBoundedTime()
    {
        string pattern = string.Concat(Enumerable.Repeat("[a-z]*?", 2_000)) + "[z-a]";

        var watch = System.Diagnostics.Stopwatch.StartNew();
        Check(pattern, [new string('a', 10_000)]);

        Assert.True(watch.Elapsed < FuzzPass.PerInput, $"took {watch.Elapsed}");
    }

    private static void Check(string pattern, string[] keys)
    {
        var matcher = new ExcludeMatcher([pattern]);
        foreach (string key in keys)
        {
            _ = matcher.IsExcluded(key);
            _ = matcher.IsDirectoryExcluded(key + "/");
        }

        if (SyncRules.CheckExcludePattern(pattern) is { } finding)
        {
            Assert.DoesNotContain('\n', finding.Message);
            Assert.DoesNotContain('\r', finding.Message);
        }
    }
}
