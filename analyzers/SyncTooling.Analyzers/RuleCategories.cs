namespace SyncTooling.Analyzers;

/// <summary>The diagnostic categories; the ids themselves live in <c>SyncRuleIds</c>, shared with the core.</summary>
public static class RuleCategories
{
    /// <summary>A configuration or call that cannot work, or works differently than it reads.</summary>
    public const string Usage = "Usage";

    /// <summary>Secrets exposed in source.</summary>
    public const string Security = "Security";
}
