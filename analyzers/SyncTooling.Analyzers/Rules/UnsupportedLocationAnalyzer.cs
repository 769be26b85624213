using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using SyncTooling.Analyzers.Infrastructure;
using SyncTooling.Validation;

namespace SyncTooling.Analyzers;

/// <summary>SYNC001: UploadDir or a remote argument is not a supported storage location.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnsupportedLocationAnalyzer : LocationRuleAnalyzer
{
    /// <summary>The key of the corrected location in a diagnostic's properties, when a scheme fix exists.</summary>
    public const string CorrectedLocationKey = "CorrectedLocation";

    internal static readonly DiagnosticDescriptor Rule = new(
        SyncRuleIds.UnsupportedLocation,
        title: "Not a supported storage location",
        messageFormat: "{0}",
        RuleCategories.Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Storage locations are absolute local paths or file://, memory://, s3://, gs:// or hdfs:// URIs with a bucket or host.",
        helpLinkUri: RuleHelp.UriFor(SyncRuleIds.UnsupportedLocation));

    /// <summary>Creates the analyzer.</summary>
    public UnsupportedLocationAnalyzer()
        : base(Rule)
    {
    }

    private protected override ImmutableDictionary<string, string?>? FixProperties(IOperation value, string location)
    {
        // Only a literal can be rewritten in place; a const field or concatenation is left to the author.
        string? corrected = value.Syntax.IsKind(SyntaxKind.StringLiteralExpression) ? SchemeCorrections.TryCorrect(location) : null;
        return corrected is null ? null : ImmutableDictionary<string, string?>.Empty.Add(CorrectedLocationKey, corrected);
    }
}
