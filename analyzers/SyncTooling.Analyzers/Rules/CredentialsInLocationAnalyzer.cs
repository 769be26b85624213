using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SyncTooling.Validation;

namespace SyncTooling.Analyzers;

/// <summary>SYNC007: credentials written into a storage location.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CredentialsInLocationAnalyzer : LocationRuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        SyncRuleIds.CredentialsInLocation,
        title: "Credentials in a storage location",
        messageFormat: "{0}",
        RuleCategories.Security,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Keys and passwords written into a location end up in source control and logs.",
        helpLinkUri: RuleHelp.UriFor(SyncRuleIds.CredentialsInLocation));

    /// <summary>Creates the analyzer.</summary>
    public CredentialsInLocationAnalyzer()
        : base(Rule)
    {
    }
}
