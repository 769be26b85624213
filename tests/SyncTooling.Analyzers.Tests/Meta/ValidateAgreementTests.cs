using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Diagnostics;
using SyncTooling.Analyzers.Tests.Testing;
using static SyncTooling.Analyzers.Tests.TestSources;

namespace SyncTooling.Analyzers.Tests.Meta;

/// <summary>The analyzers and SyncConfig.Validate() report the same ids with the same words.</summary>
public class ValidateAgreementTests
{
    public static TheoryData<string> Configs() =>
    [
        """UploadDir = "s3a://bucket/x" """,
        """UploadDir = "s3://ab/x?secret_key=abc" """,
        """UploadDir = "relative/dir" """,
        """UploadDir = "/data", Syncer = null""",
        """SyncPeriod = TimeSpan.Zero, SyncTimeout = TimeSpan.FromSeconds(-1)""",
        """SyncArtifactsOnCheckpoint = false""",
        """UploadDir = "gs://bucket/x", SyncOnCheckpoint = false""",
    ];

    [Theory]
    [MemberData(nameof(Configs))]
    public async Task SameFindings(string initializer)
    {
        var compilation = await TestReferences.CompileAsync(InClass($"SyncConfig M() => new SyncConfig {{ {initializer} }};"));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        var analyzers = RuleCatalog.AnalyzerTypes.Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!).ToImmutableArray();
        var diagnostics = await compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();
        var fromAnalyzers = diagnostics.Select(d => d.Id + " " + d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));

        var fromValidate = Evaluate(initializer).Validate().Select(f => f.RuleId + " " + f.Message);

        Assert.Equal(fromValidate.Order(StringComparer.Ordinal), fromAnalyzers.Order(StringComparer.Ordinal));
    }

    // The same initializers, written out: Validate() runs on real objects.
    private static SyncConfig Evaluate(string initializer) => initializer switch
    {
        """UploadDir = "s3a://bucket/x" """ => new SyncConfig { UploadDir = "s3a://bucket/x" },
        """UploadDir = "s3://ab/x?secret_key=abc" """ => new SyncConfig { UploadDir = "s3://ab/x?secret_key=abc" },
        """UploadDir = "relative/dir" """ => new SyncConfig { UploadDir = "relative/dir" },
        """UploadDir = "/data", Syncer = null""" => new SyncConfig { UploadDir = "/data", Syncer = null },
        """SyncPeriod = TimeSpan.Zero, SyncTimeout = TimeSpan.FromSeconds(-1)""" => new SyncConfig { SyncPeriod = TimeSpan.Zero, SyncTimeout = TimeSpan.FromSeconds(-1) },
        """SyncArtifactsOnCheckpoint = false""" => new SyncConfig { SyncArtifactsOnCheckpoint = false },
        """UploadDir = "gs://bucket/x", SyncOnCheckpoint = false""" => new SyncConfig { UploadDir = "gs://bucket/x", SyncOnCheckpoint = false },
        _ => throw new ArgumentOutOfRangeException(nameof(initializer), initializer, "No runtime twin for this initializer."),
    };
}
