namespace SyncTooling.Cli;

/// <summary>The documented exit codes (README, "Exit codes"). Scripts depend on them: never renumber.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int SyncFailed = 1;
    public const int Usage = 2;
    public const int SourceNotFound = 3;

    // 128 + SIGINT, as shells report a process stopped by Ctrl+C.
    public const int Interrupted = 130;
}
