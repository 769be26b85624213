using System.Runtime.CompilerServices;
using McMaster.Extensions.CommandLineUtils;

namespace SyncTooling.Cli;

/// <summary>What the Native AOT build of the tool must compile ahead because CommandLineUtils reaches it by reflection.</summary>
internal static class NativeCode
{
    /// <summary>
    /// CommandLineUtils finds each option's parser with <c>MakeGenericMethod</c> over the option's type. Native AOT runs
    /// only instantiations compiled ahead of time: reference types share one, value types need their own, so each value
    /// type an option of ours has is named here. The JIT build skips this (the branch is constant there).
    /// </summary>
    public static void KeepValueParsers(CommandLineApplication app)
    {
        if (RuntimeFeature.IsDynamicCodeSupported)
        {
            return;
        }

        _ = app.ValueParsers.GetParser<bool>();
        _ = app.ValueParsers.GetParser<bool?>();
        _ = app.ValueParsers.GetParser<int>();
        _ = app.ValueParsers.GetParser<int?>();
    }
}
