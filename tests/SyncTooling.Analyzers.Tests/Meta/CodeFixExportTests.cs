using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace SyncTooling.Analyzers.Tests.Meta;

public class CodeFixExportTests
{
    public static TheoryData<string> CodeFixNames() => [.. RuleCatalog.CodeFixTypes.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(CodeFixNames))]
    public void ExportedUnderItsOwnName_AndShared(string name)
    {
        var type = RuleCatalog.CodeFixTypes.Single(t => t.Name == name);

        var export = Assert.Single(type.GetCustomAttributes(typeof(ExportCodeFixProviderAttribute), inherit: false).Cast<ExportCodeFixProviderAttribute>());
        Assert.Equal(name, export.Name);
        Assert.Equal([LanguageNames.CSharp], export.Languages);
        Assert.NotEmpty(type.GetCustomAttributes(typeof(SharedAttribute), inherit: false));
        Assert.True(type.IsPublic && type.IsSealed, name + " is not public sealed");
    }

    [Theory]
    [MemberData(nameof(CodeFixNames))]
    public void FixesOnlyRulesThatExist_AndSupportsFixAll(string name)
    {
        var fix = (CodeFixProvider)Activator.CreateInstance(RuleCatalog.CodeFixTypes.Single(t => t.Name == name))!;

        Assert.All(fix.FixableDiagnosticIds, id => Assert.Contains(id, RuleCatalog.RuleIds));
        Assert.Same(WellKnownFixAllProviders.BatchFixer, fix.GetFixAllProvider());
    }

    [Fact]
    public void TheRulesTheIssueAsksToFix_HaveAFix()
    {
        var fixedIds = RuleCatalog.CodeFixTypes.SelectMany(t => ((CodeFixProvider)Activator.CreateInstance(t)!).FixableDiagnosticIds);

        Assert.Equal(["SYNC001", "SYNC002", "SYNC003", "SYNC006"], fixedIds.Order(StringComparer.Ordinal));
    }
}
