using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using McMaster.Extensions.CommandLineUtils;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Storage;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests.Docs;

/// <summary>
/// The documentation runs: every ```csharp block of README.md and docs/*.md compiles as written against the library
/// (as the Program.cs of a new console project, which has the SDK's implicit usings), and every example line that
/// starts with `dotnet sync ` or `dotnet tool run sync -- ` parses with the tool's own parser, without running.
/// </summary>
public sealed partial class DocSamplesTests
{
    private const string ToolRun = "dotnet tool run sync -- ";
    private const string DotnetSync = "dotnet sync ";

    // What `dotnet new console` puts in scope (ImplicitUsings); every other using must be in the sample.
    private static readonly string ImplicitUsings = string.Join('\n', new[] { "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks" }.Select(n => $"global using global::{n};"));

    public static TheoryData<string, int> CSharpSamples
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var block in Blocks().Where(b => b.Language == "csharp"))
            {
                data.Add(block.File, block.Line);
            }

            return data;
        }
    }

    public static TheoryData<string, int, string> CommandLines
    {
        get
        {
            var data = new TheoryData<string, int, string>();
            var lines = Blocks().Where(b => b.Language is not "csharp" and not "xml" and not "ini")
                .SelectMany(b => b.Text.Split('\n').Select((line, i) => (b.File, Line: b.Line + 1 + i, Text: line.Trim())))
                .Where(l => l.Text.StartsWith(DotnetSync, StringComparison.Ordinal) || l.Text.StartsWith(ToolRun, StringComparison.Ordinal));
            foreach (var (file, line, text) in lines)
            {
                data.Add(file, line, text);
            }

            // The examples under each command's --help are documentation too.
            foreach (var constant in typeof(Commands.Help).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
            {
                var examples = ((string)constant.GetRawConstantValue()!).Split('\n').Select((l, i) => (Line: i + 1, Text: l.Trim())).Where(l => l.Text.StartsWith(DotnetSync, StringComparison.Ordinal));
                foreach (var (line, text) in examples)
                {
                    data.Add("Help." + constant.Name, line, text);
                }
            }

            return data;
        }
    }

    [Fact]
    public void TheDocsHaveSamplesOfBothKinds()
    {
        Assert.True(CSharpSamples.Count >= 6, $"{CSharpSamples.Count} C# samples");
        Assert.True(CommandLines.Count >= 10, $"{CommandLines.Count} command lines");
    }

    [Theory]
    [MemberData(nameof(CSharpSamples))]
    public void CSharpSample_Compiles(string file, int line)
    {
        var block = Blocks().Single(b => b.File == file && b.Line == line);

        var errors = Compile(block.Text);

        Assert.True(errors.Count == 0, $"{file}:{line}:\n{string.Join('\n', errors)}");
    }

    [Theory]
    [MemberData(nameof(CommandLines))]
    public void CommandLine_Parses(string file, int line, string text)
    {
        string[] args = SplitArguments(text.StartsWith(ToolRun, StringComparison.Ordinal) ? text[ToolRun.Length..] : text[DotnetSync.Length..]);

        string? problem = ParseProblem(args);

        Assert.True(problem is null, $"{file}:{line}: {text}\n{problem}");
    }

    [Fact]
    public void ABrokenSampleAndABrokenLine_AreCaught()
    {
        Assert.NotEmpty(Compile("using SyncTooling.Sync;\nawait new SyncEngine().SyncAsync(\"/a\", \"/b\");"));
        Assert.NotNull(ParseProblem(SplitArguments("up ./a s3://b/x --dry-runn")));
        Assert.NotNull(ParseProblem(SplitArguments("up ./a")));
    }

    [Fact]
    public void TheLicenseFile_IsTheLicenseThePackagesDeclare()
    {
        string license = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "LICENSE"));
        string props = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Directory.Build.props"));

        Assert.Contains("<PackageLicenseExpression>Apache-2.0</PackageLicenseExpression>", props, StringComparison.Ordinal);
        Assert.StartsWith("Apache License\n                           Version 2.0, January 2004", license.Trim(), StringComparison.Ordinal);
    }

    private static List<string> Compile(string code)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(StorageUri).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(p => MetadataReference.CreateFromFile(p));
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "Sample",
            [CSharpSyntaxTree.ParseText(ImplicitUsings, options), CSharpSyntaxTree.ParseText(code, options)],
            references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var output = new MemoryStream();
        var emitted = compilation.Emit(output);
        return emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
    }

    /// <summary>Null when the tool's parser accepts the arguments and the chosen command has what it requires.</summary>
    private static string? ParseProblem(string[] args)
    {
        var console = new TestConsole();
        using var context = new CliContext(console, TimeProvider.System, StorageRegistry.Default) { Arguments = args };
        using var app = SyncCli.CreateApplication(context);
        try
        {
            var result = app.Parse(args);
            var validation = result.SelectedCommand.GetValidationResult();
            return validation == System.ComponentModel.DataAnnotations.ValidationResult.Success ? null : validation.ErrorMessage;
        }
        catch (CommandParsingException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>POSIX shell words: '...' literal, "..." with \ escapes, \ outside quotes, a trailing # comment dropped.</summary>
    private static string[] SplitArguments(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                continue;
            }

            if (c == '#' && !inWord)
            {
                break;
            }

            inWord = true;
            if (c == '\'')
            {
                int end = line.IndexOf('\'', i + 1);
                word.Append(line, i + 1, end - i - 1);
                i = end;
            }
            else if (c == '"')
            {
                for (i++; line[i] != '"'; i++)
                {
                    word.Append(line[i] == '\\' ? line[++i] : line[i]);
                }
            }
            else
            {
                word.Append(c == '\\' ? line[++i] : c);
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return [.. words];
    }

    private static IEnumerable<(string File, int Line, string Language, string Text)> Blocks()
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "docs"), "*.md").Order(StringComparer.Ordinal).Prepend(Path.Combine(RepositoryRoot.Path, "README.md"));
        foreach (string path in files)
        {
            string text = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
            foreach (Match match in Fence().Matches(text))
            {
                int line = text.AsSpan(0, match.Index).Count('\n') + 1;
                yield return (Path.GetRelativePath(RepositoryRoot.Path, path), line, match.Groups["lang"].Value, match.Groups["body"].Value);
            }
        }
    }

    [GeneratedRegex(@"^```(?<lang>[a-z]*)\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();
}
