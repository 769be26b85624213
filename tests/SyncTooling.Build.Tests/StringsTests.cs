using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Build.Tests;

public sealed partial class StringsTests
{
    [Fact]
    public void EveryErrorCode_IsUnique_AndDocumentedInTheMSBuildPage()
    {
        var manager = new ResourceManager("SyncTooling.Build.Strings", typeof(SyncUp).Assembly);
        var codes = manager.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: true)!
            .Cast<DictionaryEntry>()
            .Select(e => Code().Match((string)e.Value!))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .ToList();
        // README.md, or a docs/ page (SYNCB017: docs/sharding.md).
        string docs = Path.Combine(RepositoryRoot.Path, "docs");
        string readme = string.Concat(Directory.EnumerateFiles(docs, "*.md").Prepend(Path.Combine(RepositoryRoot.Path, "README.md")).Select(File.ReadAllText));

        Assert.Equal(15, codes.Count);
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes.Append("SYNCB011").Append("SYNCB012"), code => Assert.Contains("`" + code + "`", readme, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^(SYNCB\d{3}): ")]
    private static partial Regex Code();
}
