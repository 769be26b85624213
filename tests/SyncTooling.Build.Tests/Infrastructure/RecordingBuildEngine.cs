using System.Collections;
using Microsoft.Build.Framework;

namespace SyncTooling.Build.Tests.Infrastructure;

/// <summary>Records what a task logs as one line per event: "error CODE: text", "warning CODE: text", "Normal: text".</summary>
public sealed class RecordingBuildEngine(string projectFile = "") : IBuildEngine
{
    private readonly List<string> _log = [];

    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToList();
            }
        }
    }

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => projectFile;

    public void LogErrorEvent(BuildErrorEventArgs e) => Add($"error {e.Code}: {e.Message}");

    public void LogWarningEvent(BuildWarningEventArgs e) => Add($"warning {e.Code}: {e.Message}");

    public void LogMessageEvent(BuildMessageEventArgs e) => Add($"{e.Importance}: {e.Message}");

    public void LogCustomEvent(CustomBuildEventArgs e) => Add($"custom: {e.Message}");

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) =>
        throw new NotSupportedException();

    private void Add(string line)
    {
        lock (_log)
        {
            _log.Add(line);
        }
    }
}
