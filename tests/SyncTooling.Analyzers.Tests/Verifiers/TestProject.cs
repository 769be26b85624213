using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Microsoft.Extensions.Logging;
using SyncTooling;

namespace SyncTooling.Analyzers.Tests.Verifiers;

/// <summary>A one-document C# project referencing the running framework and the real SyncTooling.dll.</summary>
internal static class TestProject
{
    private static readonly ImmutableArray<MetadataReference> FrameworkReferences = LoadFrameworkReferences();

    private static readonly ImmutableArray<MetadataReference> References =
        [.. FrameworkReferences, MetadataReference.CreateFromFile(typeof(SyncConfig).Assembly.Location), MetadataReference.CreateFromFile(typeof(ILogger).Assembly.Location)];

    public static Document Create(string source, string? editorConfig = null, bool referenceSyncTooling = true, string fileName = "Test.cs")
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var documentId = DocumentId.CreateNewId(projectId);
        var solution = workspace.CurrentSolution
            .AddProject(projectId, "Test", "Test", LanguageNames.CSharp)
            .WithProjectCompilationOptions(projectId, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable))
            .WithProjectParseOptions(projectId, new CSharpParseOptions(LanguageVersion.Latest))
            .AddMetadataReferences(projectId, referenceSyncTooling ? References : FrameworkReferences)
            .AddDocument(documentId, fileName, SourceText.From(source), filePath: "/src/" + fileName);
        if (editorConfig is not null)
        {
            solution = solution.AddAnalyzerConfigDocument(DocumentId.CreateNewId(projectId), ".editorconfig", SourceText.From(editorConfig), filePath: "/src/.editorconfig");
        }

        return solution.GetDocument(documentId)!;
    }

    /// <summary>The analyzer's diagnostics, after asserting that the source compiles and the analyzer did not throw.</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Document document, DiagnosticAnalyzer analyzer)
    {
        var compilation = (await document.Project.GetCompilationAsync())!;
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The test source does not compile:\n" + string.Join("\n", errors));

        var exceptions = new List<Exception>();
        var options = new CompilationWithAnalyzersOptions(document.Project.AnalyzerOptions, (ex, _, _) => exceptions.Add(ex), concurrentAnalysis: true, logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers([analyzer], options).GetAnalyzerDiagnosticsAsync();
        Assert.Empty(exceptions);
        return [.. diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal)];
    }

    private static ImmutableArray<MetadataReference> LoadFrameworkReferences()
    {
        // The framework the tests run on, so no reference assemblies are downloaded at test time.
        string frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => string.Equals(Path.GetDirectoryName(p), frameworkDir, StringComparison.Ordinal));
        return [.. framework.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}
