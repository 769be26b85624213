using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.Extensions.Logging;

namespace SyncTooling.Analyzers.Tests.Testing;

/// <summary>What every test compilation references: net10.0's reference assemblies and, unless a test says not, the real SyncTooling.dll.</summary>
internal static class TestReferences
{
    /// <summary>
    /// ReferenceAssemblies copies the packages it resolves below <c>Path.GetTempPath()/test-packages</c>; this keeps that
    /// copy in the test's own output folder (git-ignored), not in the machine's shared temp folder. It runs before any
    /// test code, so before the testing library first reads the temp path.
    /// </summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "A test assembly: the temp folder must be set before the testing library's statics read it.")]
    internal static void KeepTestPackagesInTheOutputFolder()
    {
        string temp = Path.Combine(AppContext.BaseDirectory, "tmp");
        Directory.CreateDirectory(temp);
        Environment.SetEnvironmentVariable("TMPDIR", temp);
    }

    /// <summary>
    /// Microsoft.NETCore.App.Ref at the version the test project restores (a PackageDownload), so the testing library finds
    /// it in the global packages folder and downloads nothing at test time.
    /// </summary>
    public static ReferenceAssemblies Net100 { get; } = new(
        "net10.0",
        new PackageIdentity("Microsoft.NETCore.App.Ref", Metadata("NetCoreAppRefVersion")),
        Path.Combine("ref", "net10.0"));

    public static MetadataReference[] SyncTooling { get; } =
        [MetadataReference.CreateFromFile(typeof(SyncConfig).Assembly.Location), MetadataReference.CreateFromFile(typeof(ILogger).Assembly.Location)];

    /// <summary>The test sources use nullable annotations (<c>Syncer?</c>) as the users' projects do.</summary>
    public static Solution EnableNullable(Solution solution, ProjectId projectId)
    {
        var options = (CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!;
        return solution.WithProjectCompilationOptions(projectId, options.WithNullableContextOptions(NullableContextOptions.Enable));
    }

    /// <summary>A compilation of <paramref name="source"/> with the same references, for tests that compare diagnostics with something that has no location.</summary>
    public static async Task<Compilation> CompileAsync(string source)
    {
        var references = await Net100.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
        return CSharpCompilation.Create(
            "Test",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            [.. references, .. SyncTooling],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    private static string Metadata(string key) =>
        typeof(TestReferences).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
