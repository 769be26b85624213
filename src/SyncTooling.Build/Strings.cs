using System.Resources;

[assembly: NeutralResourcesLanguage("en")]

namespace SyncTooling.Build;

/// <summary>The tasks' messages. Error strings start with their code ("SYNCB001: ..."), which MSBuild splits off.</summary>
internal static class Strings
{
    public static ResourceManager ResourceManager { get; } = new("SyncTooling.Build.Strings", typeof(Strings).Assembly);
}
