using System.ComponentModel;
using System.Globalization;
using Microsoft.Extensions.Logging;
using SyncTooling.Commands;
using SyncTooling.Validation;

namespace SyncTooling;

/// <summary>
/// A syncer that runs external commands built from templates, as Ray 1.x's command-based syncer did:
/// <c>rsync -a {options} {source}/ {target}/</c>, <c>aws s3 sync {source} {target} {options}</c>, ...
/// </summary>
/// <remarks>
/// Each template is split into arguments once (see <see cref="CommandTemplate"/>); <c>{source}</c> and
/// <c>{target}</c> are substituted inside single arguments and the program is started directly with
/// <see cref="System.Diagnostics.ProcessStartInfo.ArgumentList"/>, never through a shell, so a path such as
/// <c>a; rm -rf ~</c> or one with spaces and quotes stays one argument. <c>{options}</c> becomes the exclude
/// patterns in the tool's syntax (<see cref="CommandExcludeStyle"/>); the patterns are passed as written, so
/// they mean what the tool makes of them. A command that exits with a non-zero code fails the operation with a
/// <see cref="SyncException"/> naming the command (secrets redacted), the exit code and the last lines of
/// stderr. Cancellation, a timeout or disposal kills the process and its children.
/// </remarks>
public sealed class CommandSyncer : Syncer
{
    private readonly CommandTemplate _up;
    private readonly CommandTemplate _down;
    private readonly CommandTemplate _delete;
    private readonly CommandExcludeStyle _excludeStyle;

    /// <summary>Creates the syncer from three templates.</summary>
    /// <param name="syncUpTemplate">Needs <c>{source}</c> (the local directory) and <c>{target}</c> (the remote); may have <c>{options}</c>.</param>
    /// <param name="syncDownTemplate">Needs <c>{source}</c> (the remote) and <c>{target}</c> (the local directory); may have <c>{options}</c>.</param>
    /// <param name="deleteTemplate">Needs <c>{target}</c> (the remote to delete).</param>
    /// <param name="excludeStyle">How exclude patterns are rendered into <c>{options}</c>.</param>
    /// <param name="syncPeriod">See <see cref="Syncer.SyncPeriod"/>.</param>
    /// <param name="syncTimeout">See <see cref="Syncer.SyncTimeout"/>.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">Receives a line per command.</param>
    /// <exception cref="ArgumentException">A template is malformed or lacks a placeholder it needs.</exception>
    public CommandSyncer(
        string syncUpTemplate,
        string syncDownTemplate,
        string deleteTemplate,
        CommandExcludeStyle excludeStyle = CommandExcludeStyle.Rsync,
        TimeSpan? syncPeriod = null,
        TimeSpan? syncTimeout = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null)
        : base(syncPeriod, syncTimeout, timeProvider, logger)
    {
        _up = CommandTemplate.Parse(syncUpTemplate, "source", "target");
        _down = CommandTemplate.Parse(syncDownTemplate, "source", "target");
        _delete = CommandTemplate.Parse(deleteTemplate, "target");
        if (!Enum.IsDefined(excludeStyle))
        {
            throw new ArgumentOutOfRangeException(nameof(excludeStyle), excludeStyle, "The exclude style must be Rsync, AwsCli or Rclone.");
        }

        _excludeStyle = excludeStyle;
    }

    /// <summary>Renders exclude patterns as one tool's options.</summary>
    public static IReadOnlyList<string> RenderExcludes(IEnumerable<string> patterns, CommandExcludeStyle style)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        return style switch
        {
            CommandExcludeStyle.Rsync => patterns.Select(p => "--exclude=" + p).ToArray(),
            CommandExcludeStyle.AwsCli or CommandExcludeStyle.Rclone => patterns.SelectMany(p => new[] { "--exclude", p }).ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(style), style, "The exclude style must be Rsync, AwsCli or Rclone."),
        };
    }

    /// <inheritdoc />
    protected override Task SyncUpCoreAsync(string localDir, string remoteDir, IReadOnlyList<string> exclude, CancellationToken cancellationToken) =>
        RunAsync("sync up", _up.Render(localDir, remoteDir, RenderExcludes(exclude, _excludeStyle)), cancellationToken);

    /// <inheritdoc />
    protected override Task SyncDownCoreAsync(string remoteDir, string localDir, IReadOnlyList<string> exclude, CancellationToken cancellationToken)
    {
        // Tools such as rsync create only the last folder of a target; the local side is ours to prepare.
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(localDir)) ?? localDir);
        return RunAsync("sync down", _down.Render(remoteDir, localDir, RenderExcludes(exclude, _excludeStyle)), cancellationToken);
    }

    /// <inheritdoc />
    protected override Task DeleteCoreAsync(string remoteDir, CancellationToken cancellationToken) =>
        RunAsync("delete", _delete.Render(string.Empty, remoteDir, []), cancellationToken);

    private async Task RunAsync(string operation, IReadOnlyList<string> argv, CancellationToken cancellationToken)
    {
        string shown = Show(argv);
        int exitCode;
        IReadOnlyList<string> stderr;
        try
        {
            (exitCode, stderr) = await CommandRunner.RunAsync(argv, cancellationToken).ConfigureAwait(false);
        }
        catch (Win32Exception ex)
        {
            throw new SyncException($"The {operation} command could not start: {shown}: {ex.Message}. Is '{argv[0]}' installed and on PATH?", ex);
        }

        if (exitCode != 0)
        {
            string tail = stderr.Count == 0 ? " It wrote nothing to stderr." : " Last lines of stderr:" + Environment.NewLine + string.Join(Environment.NewLine, stderr.Select(RedactLine));
            throw new SyncException(string.Create(CultureInfo.InvariantCulture, $"The {operation} command failed with exit code {exitCode}: {shown}.{tail}"));
        }
    }

    private static string RedactLine(string line) => line.Contains("://", StringComparison.Ordinal)
        ? string.Join(' ', line.Split(' ').Select(word => word.Contains("://", StringComparison.Ordinal) ? StorageUriGrammar.Redact(word) : word))
        : line;

    // Quoted as a POSIX shell would need it, so the line can be pasted to reproduce the failure.
    private static string Show(IReadOnlyList<string> argv) => string.Join(' ', argv.Select(a => Quote(StorageUriGrammar.Redact(a))));

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:@%+,".Contains(c, StringComparison.Ordinal))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
