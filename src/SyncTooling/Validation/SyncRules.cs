// Shared source: compiled into SyncTooling (public), SyncTooling.Build and SyncTooling.Analyzers
// (internal). One rule set, three users. Keep it netstandard2.0-compatible and free of I/O.
using System;
using System.Collections.Generic;

namespace SyncTooling.Validation;

/// <summary>How serious a finding is.</summary>
#if SYNCTOOLING_PUBLIC
public
#else
internal
#endif
enum SyncFindingSeverity
{
    /// <summary>The configuration cannot work as written.</summary>
    Error,

    /// <summary>The configuration works, but part of it has no effect or is risky.</summary>
    Warning,
}

/// <summary>One problem found in a configuration: a stable rule id, a severity and a message.</summary>
#if SYNCTOOLING_PUBLIC
public
#else
internal
#endif
sealed class SyncFinding
{
    /// <summary>Creates a finding.</summary>
    public SyncFinding(string ruleId, SyncFindingSeverity severity, string message)
    {
        RuleId = ruleId;
        Severity = severity;
        Message = message;
    }

    /// <summary>The rule id, e.g. <c>SYNC001</c>; the same id the analyzers and the MSBuild tasks report.</summary>
    public string RuleId { get; }

    /// <summary>Error or warning.</summary>
    public SyncFindingSeverity Severity { get; }

    /// <summary>One sentence: what is wrong and what is allowed.</summary>
    public string Message { get; }

    /// <inheritdoc />
    public override string ToString() =>
        RuleId + " " + (Severity == SyncFindingSeverity.Error ? "error" : "warning") + ": " + Message;
}

/// <summary>The ids of the configuration rules. Never reuse or renumber an id.</summary>
#if SYNCTOOLING_PUBLIC
public
#else
internal
#endif
static class SyncRuleIds
{
    /// <summary>Not a supported storage location.</summary>
    public const string UnsupportedLocation = "SYNC001";

    /// <summary>SyncOnCheckpoint has no effect with cloud storage.</summary>
    public const string SyncOnCheckpointWithCloud = "SYNC002";

    /// <summary>UploadDir is set while syncing is disabled.</summary>
    public const string UploadDirWithSyncingDisabled = "SYNC003";

    /// <summary>A custom syncer without an UploadDir.</summary>
    public const string CustomSyncerWithoutUploadDir = "SYNC004";

    /// <summary>SyncPeriod or SyncTimeout is zero or negative.</summary>
    public const string NonPositiveDuration = "SYNC005";

    /// <summary>SyncArtifactsOnCheckpoint has no effect while SyncArtifacts is false.</summary>
    public const string ArtifactsOnCheckpointWithoutArtifacts = "SYNC006";

    /// <summary>Credentials written into a storage location.</summary>
    public const string CredentialsInLocation = "SYNC007";

    /// <summary>A bucket name the service rejects.</summary>
    public const string InvalidBucketName = "SYNC008";

    /// <summary>A malformed exclude pattern, or one that can never match.</summary>
    public const string BadExcludePattern = "SYNC009";
}

/// <summary>How the syncer is chosen.</summary>
#if SYNCTOOLING_PUBLIC
public
#else
internal
#endif
enum SyncerChoice
{
    /// <summary>Unknown (e.g. not a compile-time constant); rules that depend on it do not fire.</summary>
    Unknown,

    /// <summary>The default: storage picked by the location's scheme.</summary>
    Auto,

    /// <summary><c>Syncer = null</c>: syncing disabled.</summary>
    Disabled,

    /// <summary>A user-supplied syncer instance.</summary>
    Custom,
}

/// <summary>
/// What is known about a configuration. Every field may be unknown (null), as it is for an analyzer that sees
/// a value that is not a compile-time constant; a rule whose inputs are unknown does not fire.
/// "Set" flags mean the property was given explicitly (an analyzer sees the assignment; at run time a
/// non-default value counts as set).
/// </summary>
#if SYNCTOOLING_PUBLIC
public
#else
internal
#endif
sealed class SyncConfigFacts
{
    /// <summary>True when UploadDir is known (its value may still be null).</summary>
    public bool UploadDirKnown { get; set; }

    /// <summary>The UploadDir value when known.</summary>
    public string? UploadDir { get; set; }

    /// <summary>How the syncer is chosen.</summary>
    public SyncerChoice Syncer { get; set; } = SyncerChoice.Unknown;

    /// <summary>SyncOnCheckpoint was set explicitly.</summary>
    public bool SyncOnCheckpointSet { get; set; }

    /// <summary>SyncArtifactsOnCheckpoint was set explicitly.</summary>
    public bool SyncArtifactsOnCheckpointSet { get; set; }

    /// <summary>SyncArtifacts when known.</summary>
    public bool? SyncArtifacts { get; set; }

    /// <summary>SyncPeriod when known.</summary>
    public TimeSpan? SyncPeriod { get; set; }

    /// <summary>SyncTimeout when known.</summary>
    public TimeSpan? SyncTimeout { get; set; }
}

/// <summary>The configuration rules shared by <c>SyncConfig.Validate()</c>, the MSBuild tasks and the analyzers.</summary>
#if SYNCTOOLING_PUBLIC
public
#else
internal
#endif
static class SyncRules
{
    /// <summary>Checks a whole configuration.</summary>
    public static List<SyncFinding> Check(SyncConfigFacts facts)
    {
        if (facts is null)
        {
            throw new ArgumentNullException(nameof(facts));
        }

        var findings = new List<SyncFinding>();
        StorageUriParts? upload = null;
        if (facts.UploadDirKnown && facts.UploadDir != null)
        {
            findings.AddRange(CheckLocation(facts.UploadDir, "UploadDir", requireAbsolute: true));
            StorageUriGrammar.TryParse(facts.UploadDir, out upload, out _);
        }

        if (facts.SyncOnCheckpointSet && upload != null && StorageUriGrammar.IsCloudScheme(upload.Scheme))
        {
            findings.Add(new SyncFinding(
                SyncRuleIds.SyncOnCheckpointWithCloud,
                SyncFindingSeverity.Warning,
                "SyncOnCheckpoint has no effect because UploadDir '" + StorageUriGrammar.Printable(StorageUriGrammar.Redact(facts.UploadDir!)) +
                "' is cloud storage, where checkpoints are always uploaded when they are written; remove the assignment."));
        }

        if (facts.Syncer == SyncerChoice.Disabled && facts.UploadDirKnown && facts.UploadDir != null)
        {
            findings.Add(new SyncFinding(
                SyncRuleIds.UploadDirWithSyncingDisabled,
                SyncFindingSeverity.Error,
                "UploadDir is set but Syncer = null disables syncing, so nothing would be uploaded; remove 'Syncer = null' or the UploadDir."));
        }

        if (facts.Syncer == SyncerChoice.Custom && facts.UploadDirKnown && facts.UploadDir == null)
        {
            findings.Add(new SyncFinding(
                SyncRuleIds.CustomSyncerWithoutUploadDir,
                SyncFindingSeverity.Error,
                "A custom Syncer is set without an UploadDir, so it would never be called; set UploadDir to the storage location it syncs to."));
        }

        CheckDuration(findings, "SyncPeriod", facts.SyncPeriod);
        CheckDuration(findings, "SyncTimeout", facts.SyncTimeout);

        if (facts.SyncArtifactsOnCheckpointSet && facts.SyncArtifacts == false)
        {
            findings.Add(new SyncFinding(
                SyncRuleIds.ArtifactsOnCheckpointWithoutArtifacts,
                SyncFindingSeverity.Warning,
                "SyncArtifactsOnCheckpoint has no effect while SyncArtifacts is false; set SyncArtifacts = true or remove the assignment."));
        }

        return findings;
    }

    /// <summary>
    /// Checks one storage location (an UploadDir, or a remote argument): SYNC001, SYNC007 and SYNC008.
    /// <paramref name="requireAbsolute"/> rejects relative local paths, which resolve against whatever
    /// directory the process happens to run in.
    /// </summary>
    public static List<SyncFinding> CheckLocation(string location, string what, bool requireAbsolute)
    {
        var findings = new List<SyncFinding>();
        string shown = StorageUriGrammar.Printable(StorageUriGrammar.Redact(location ?? string.Empty));
        if (location != null && StorageUriGrammar.HasCredentials(location))
        {
            findings.Add(new SyncFinding(
                SyncRuleIds.CredentialsInLocation,
                SyncFindingSeverity.Warning,
                what + " '" + shown + "' contains credentials; they end up in logs and source control. Use environment variables, a shared credentials file or an instance role."));
        }

        if (!StorageUriGrammar.TryParse(location, out var parts, out string? error))
        {
            findings.Add(new SyncFinding(SyncRuleIds.UnsupportedLocation, SyncFindingSeverity.Error, what + ": " + error));
            return findings;
        }

        if (requireAbsolute && parts!.IsPlainPath && !IsAbsoluteLocalPath(parts.Path))
        {
            findings.Add(new SyncFinding(
                SyncRuleIds.UnsupportedLocation,
                SyncFindingSeverity.Error,
                what + ": '" + shown + "' is a relative path, which depends on the current directory; use an absolute path or one of: " +
                StorageUriGrammar.SupportedForms + "."));
        }

        if (parts!.Authority != null && StorageUriGrammar.IsCloudScheme(parts.Scheme))
        {
            string? bucketError = StorageUriGrammar.CheckBucketName(parts.Scheme, parts.Authority);
            if (bucketError != null)
            {
                bool azure = StorageUriGrammar.IsAzureScheme(parts.Scheme);
                if (azure)
                {
                    StorageUriGrammar.SplitAzureAuthority(parts.Authority, out string container, out _);
                    findings.Add(new SyncFinding(
                        SyncRuleIds.InvalidBucketName,
                        SyncFindingSeverity.Error,
                        what + ": '" + StorageUriGrammar.Printable(StorageUriGrammar.Redact(container)) + "' is not a valid container name: " + bucketError + "."));
                }
                else
                {
                    findings.Add(new SyncFinding(
                        SyncRuleIds.InvalidBucketName,
                        SyncFindingSeverity.Error,
                        what + ": '" + StorageUriGrammar.Printable(StorageUriGrammar.Redact(parts.Authority)) + "' is not a valid bucket name: " + bucketError + "."));
                }
            }
        }

        return findings;
    }

    /// <summary>Checks one exclude pattern (SYNC009): malformed, or unable to match a relative POSIX path.</summary>
    public static SyncFinding? CheckExcludePattern(string pattern) => CheckFilterPattern(pattern, "Exclude pattern");

    /// <summary>Checks one include or exclude pattern (SYNC009); <paramref name="what"/> starts the message ("Include pattern").</summary>
    public static SyncFinding? CheckFilterPattern(string pattern, string what)
    {
        string? reason = null;
        if (pattern is null || pattern.Length == 0)
        {
            reason = "an empty pattern matches nothing";
        }
        else if (pattern.StartsWith("/", StringComparison.Ordinal))
        {
            reason = "patterns match paths relative to the sync root, which never start with '/'";
        }
        else if (pattern.StartsWith("./", StringComparison.Ordinal))
        {
            reason = "patterns match paths relative to the sync root, which never start with './'; drop the './'";
        }
        else if (pattern.IndexOf('\\') >= 0)
        {
            reason = "paths are matched with '/' separators; a backslash is a literal character, not a separator";
        }
        else if (HasUnclosedBracket(pattern))
        {
            reason = "'[' opens a character set that is never closed with ']'";
        }

        return reason == null
            ? null
            : new SyncFinding(
                SyncRuleIds.BadExcludePattern,
                SyncFindingSeverity.Warning,
                what + " '" + StorageUriGrammar.Printable(pattern ?? string.Empty) + "': " + reason + ". Patterns use fnmatch syntax: *, ?, [seq], [!seq].");
    }

    /// <summary>True when a local path is absolute on any supported OS (POSIX '/', Windows drive or UNC).</summary>
    public static bool IsAbsoluteLocalPath(string path) =>
        path.StartsWith("/", StringComparison.Ordinal) ||
        path.StartsWith("\\\\", StringComparison.Ordinal) ||
        (path.Length >= 3 && char.IsLetter(path[0]) && path[1] == ':' && (path[2] == '\\' || path[2] == '/')) ||
        path.StartsWith("~/", StringComparison.Ordinal);

    private static void CheckDuration(List<SyncFinding> findings, string name, TimeSpan? value)
    {
        if (value.HasValue && value.Value <= TimeSpan.Zero)
        {
            findings.Add(new SyncFinding(
                SyncRuleIds.NonPositiveDuration,
                SyncFindingSeverity.Error,
                name + " is " + value.Value + "; it must be greater than zero."));
        }
    }

    private static bool HasUnclosedBracket(string pattern)
    {
        for (int i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] != '[')
            {
                continue;
            }

            // fnmatch: a ']' right after '[' or '[!' is part of the set.
            int j = i + 1;
            if (j < pattern.Length && pattern[j] == '!')
            {
                j++;
            }

            if (j < pattern.Length && pattern[j] == ']')
            {
                j++;
            }

            while (j < pattern.Length && pattern[j] != ']')
            {
                j++;
            }

            if (j >= pattern.Length)
            {
                return true;
            }

            i = j;
        }

        return false;
    }
}
