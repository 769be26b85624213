namespace SyncTooling.Analyzers;

/// <summary>Where each rule's documentation page lives.</summary>
public static class RuleHelp
{
    /// <summary>The folder of the rule pages, <c>docs/rules/SYNCnnn.md</c> beside this project.</summary>
    public const string BaseUri = "https://github.com/synctooling/synctooling/blob/main/analyzers/SyncTooling.Analyzers/docs/rules/";

    /// <summary>The help link of one rule.</summary>
    public static string UriFor(string ruleId) => BaseUri + ruleId + ".md";
}
