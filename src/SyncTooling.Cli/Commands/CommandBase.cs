using System.ComponentModel.DataAnnotations;
using McMaster.Extensions.CommandLineUtils;
using SyncTooling.Cli.Output;
using SyncTooling.Storage;
using SyncTooling.Validation;

namespace SyncTooling.Cli.Commands;

/// <summary>
/// What every command has: --help, the output switches, and one place that turns exceptions into an exit
/// code and one line on stderr (a stack trace only with --verbose).
/// </summary>
[HelpOption("-h|--help")]
internal abstract class CommandBase(CliContext context)
{
    [Option("--json", Description = "Write newline-delimited JSON events and a final summary object to stdout.")]
    public bool Json { get; set; }

    [Option("-q|--quiet", Description = "Print errors only (also --only-show-errors).")]
    public bool Quiet { get; set; }

    [Option("--only-show-errors", Description = "aws-cli's name for --quiet: errors and nothing else, for CI logs.", ShowInHelpText = false)]
    public bool OnlyShowErrors { get; set; }

    [Option("-v|--verbose", Description = "Print every file, and a stack trace with errors.")]
    public bool Verbose { get; set; }

    protected CliContext Context { get; } = context;

    /// <summary>-q, --quiet or --only-show-errors.</summary>
    protected bool ErrorsOnly => Quiet || OnlyShowErrors;

    protected IConsole Console => Context.Console;

    protected OutputMode Mode =>
        Json ? OutputMode.Json
        : ErrorsOnly ? OutputMode.Quiet
        : Console.IsOutputRedirected ? OutputMode.Plain
        : OutputMode.Terminal;

    public async Task<int> OnExecuteAsync()
    {
        try
        {
            return await ExecuteAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (Context.Interrupted.IsCancellationRequested)
        {
            return Fail(ExitCodes.Interrupted, "interrupted; files already written are complete and none was left half-written (the next run resumes a large transfer that was cut off).", null);
        }
        catch (UsageException ex)
        {
            return Fail(ExitCodes.Usage, ex.Message, ex);
        }
        catch (NotSupportedException ex)
        {
            // A scheme the grammar knows but the registry in use has no backend for.
            return Fail(ExitCodes.Usage, ex.Message, ex);
        }
        catch (SourceNotFoundException ex)
        {
            return Fail(ExitCodes.SourceNotFound, ex.Message, ex);
        }
        catch (SyncRefusedException ex)
        {
            return Fail(ExitCodes.SyncFailed, ex.MessageWith(ex.Guard == SyncGuard.EmptySource ? "--allow-empty-source" : "--force"), ex);
        }
        catch (StorageException ex) when (ex.Kind == StorageErrorKind.NotFound)
        {
            return Fail(ExitCodes.SourceNotFound, ex.Message, ex);
        }
        catch (Exception ex) when (ex is SyncException or StorageException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            return Fail(ExitCodes.SyncFailed, ex.Message, ex);
        }
        catch (Exception ex)
        {
            // A bug of ours or a library's: still one line and exit code 1, never a crash with a stack trace (-v shows it).
            return Fail(ExitCodes.SyncFailed, $"unexpected {ex.GetType().Name}: {ex.Message} (please report this; -v shows where it came from)", ex);
        }
    }

    /// <summary>Attribute validation failures ([Required] arguments) are usage errors, exit code 2.</summary>
    public int OnValidationError(ValidationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Fail(ExitCodes.Usage, result.ErrorMessage ?? "invalid arguments.", null);
    }

    protected abstract Task<int> ExecuteAsync();

    /// <summary>Ends a live progress line, if one is shown, before an error is printed (the Ctrl+C message, a timeout).</summary>
    protected virtual void EndLiveOutput()
    {
    }

    /// <summary>Prints one error line (and the JSON error event) and returns <paramref name="exitCode"/>.</summary>
    protected int Fail(int exitCode, string message, Exception? exception)
    {
        // One line whatever the message quotes (a path or pattern with a newline, an exception's own line breaks).
        message = StorageUriGrammar.Printable(message);
        EndLiveOutput();
        Console.Error.WriteLine("error: " + message);
        if (Verbose && exception is not null)
        {
            Console.Error.WriteLine(exception.ToString());
        }

        if (Json)
        {
            JsonLines.Write(Console, w =>
            {
                w.WriteString("event", "error");
                w.WriteNumber("exitCode", exitCode);
                w.WriteString("message", message);
            });
        }

        return exitCode;
    }

    /// <summary>Parses a location argument with the shared rules (SYNC001, SYNC007, SYNC008).</summary>
    protected StorageUri ParseLocation(string? text, string what)
    {
        var findings = SyncTooling.Validation.SyncRules.CheckLocation(text ?? string.Empty, what, requireAbsolute: false);
        var error = findings.FirstOrDefault(f => f.Severity == SyncTooling.Validation.SyncFindingSeverity.Error);
        if (error is not null)
        {
            throw new UsageException(error.RuleId + ": " + error.Message);
        }

        // --quiet and --only-show-errors print errors and nothing else; `sync validate` reports the same rules in full.
        foreach (var warning in ErrorsOnly ? [] : findings)
        {
            Console.Error.WriteLine("warning: " + warning.RuleId + ": " + warning.Message);
        }

        var location = StorageUri.Parse(WithCommandOptions(text!, what));

        // Tests hand in a registry of their own and share its memory stores with the run; the real tool has no such store.
        if (location.Scheme == "memory" && ReferenceEquals(Context.Registry, StorageRegistry.Default))
        {
            throw new UsageException($"{what}: memory:// lives inside one process only, so what this command wrote there would be gone when it ends; use a local path or an object store (memory:// is for code and tests).");
        }

        return location;
    }

    /// <summary>The location with the command's own settings for its scheme added (--endpoint-url, --region, --profile).</summary>
    protected virtual string WithCommandOptions(string location, string what) => location;
}
