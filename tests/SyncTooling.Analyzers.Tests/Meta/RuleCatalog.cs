using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SyncTooling.Analyzers.Tests.Meta;

/// <summary>Every analyzer and fixer the two assemblies ship, found by reflection so a new rule cannot be forgotten.</summary>
internal static class RuleCatalog
{
    public static readonly Type[] AnalyzerTypes = Concrete<DiagnosticAnalyzer>(typeof(UnsupportedLocationAnalyzer).Assembly);

    public static readonly Type[] CodeFixTypes = Concrete<CodeFixProvider>(typeof(CodeFixes.StorageSchemeCodeFix).Assembly);

    public static readonly DiagnosticDescriptor[] Descriptors =
        [.. AnalyzerTypes.SelectMany(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics)];

    /// <summary>The ids of <c>SyncRuleIds</c> in the core: the rules SyncConfig.Validate() and the MSBuild tasks report.</summary>
    public static readonly string[] RuleIds =
        [.. typeof(Validation.SyncRuleIds).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!)];

    public static string AnalyzersDir { get; } = typeof(RuleCatalog).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "AnalyzersDir").Value!;

    public static TheoryData<string> Ids() => [.. RuleIds];

    private static Type[] Concrete<T>(Assembly assembly) =>
        [.. assembly.GetTypes().Where(t => typeof(T).IsAssignableFrom(t) && !t.IsAbstract)];
}
