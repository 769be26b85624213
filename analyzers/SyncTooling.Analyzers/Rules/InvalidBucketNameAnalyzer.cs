using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SyncTooling.Validation;

namespace SyncTooling.Analyzers;

/// <summary>SYNC008: an S3 or GCS bucket name, or an Azure container name, the service rejects.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InvalidBucketNameAnalyzer : LocationRuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        SyncRuleIds.InvalidBucketName,
        title: "Invalid bucket or container name",
        messageFormat: "{0}",
        RuleCategories.Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "S3 and GCS reject bucket names, and Azure container names, outside their naming rules, so every sync would fail.",
        helpLinkUri: RuleHelp.UriFor(SyncRuleIds.InvalidBucketName));

    /// <summary>Creates the analyzer.</summary>
    public InvalidBucketNameAnalyzer()
        : base(Rule)
    {
    }
}
