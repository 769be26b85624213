using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SyncTooling.Analyzers.Tests.Meta;

public class RuleMetadataTests
{
    [Theory]
    [MemberData(nameof(RuleCatalog.Ids), MemberType = typeof(RuleCatalog))]
    public void EverySharedRule_HasExactlyOneDescriptor(string id) =>
        Assert.Single(RuleCatalog.Descriptors, d => d.Id == id);

    [Fact]
    public void EveryDescriptor_IsASharedRule() =>
        Assert.All(RuleCatalog.Descriptors, d => Assert.Contains(d.Id, RuleCatalog.RuleIds));

    [Theory]
    [InlineData("SYNC001", DiagnosticSeverity.Error)]
    [InlineData("SYNC002", DiagnosticSeverity.Warning)]
    [InlineData("SYNC003", DiagnosticSeverity.Error)]
    [InlineData("SYNC004", DiagnosticSeverity.Error)]
    [InlineData("SYNC005", DiagnosticSeverity.Error)]
    [InlineData("SYNC006", DiagnosticSeverity.Warning)]
    [InlineData("SYNC007", DiagnosticSeverity.Warning)]
    [InlineData("SYNC008", DiagnosticSeverity.Error)]
    [InlineData("SYNC009", DiagnosticSeverity.Warning)]
    public void DefaultSeverity(string id, DiagnosticSeverity severity) =>
        Assert.Equal(severity, RuleCatalog.Descriptors.Single(d => d.Id == id).DefaultSeverity);

    [Theory]
    [MemberData(nameof(RuleCatalog.Ids), MemberType = typeof(RuleCatalog))]
    public void HelpLink_PointsToTheRulePage(string id)
    {
        var descriptor = RuleCatalog.Descriptors.Single(d => d.Id == id);

        Assert.Equal(RuleHelp.BaseUri + id + ".md", descriptor.HelpLinkUri);
        Assert.EndsWith("/analyzers/SyncTooling.Analyzers/docs/rules/" + id + ".md", descriptor.HelpLinkUri, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RuleCatalog.Ids), MemberType = typeof(RuleCatalog))]
    public void RulePage_HasEverySection(string id)
    {
        string page = Path.Combine(RuleCatalog.AnalyzersDir, "docs", "rules", id + ".md");

        Assert.True(File.Exists(page), "Missing " + page);
        string text = File.ReadAllText(page);
        Assert.StartsWith("# " + id + ": ", text, StringComparison.Ordinal);
        foreach (string section in new[] { "## Cause", "## Why it matters", "## How to fix", "## How to suppress" })
        {
            Assert.Contains("\n" + section + "\n", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(RuleCatalog.Ids), MemberType = typeof(RuleCatalog))]
    public void ReleaseTracking_ListsTheRuleAsDeclared(string id)
    {
        var descriptor = RuleCatalog.Descriptors.Single(d => d.Id == id);
        string tracked = File.ReadAllText(Path.Combine(RuleCatalog.AnalyzersDir, "AnalyzerReleases.Shipped.md")) +
            File.ReadAllText(Path.Combine(RuleCatalog.AnalyzersDir, "AnalyzerReleases.Unshipped.md"));

        Assert.Contains($"\n{id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", tracked, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyzers_ArePublicSealedAndCSharp() => Assert.All(RuleCatalog.AnalyzerTypes, t =>
    {
        Assert.True(t.IsPublic && t.IsSealed, t.Name + " is not public sealed");
        var attribute = Assert.Single(t.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), inherit: false).Cast<DiagnosticAnalyzerAttribute>());
        Assert.Equal([LanguageNames.CSharp], attribute.Languages);
    });
}
