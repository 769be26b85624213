namespace SyncTooling.Cli.Output;

/// <summary>How a command talks: a live line on a terminal, plain lines when redirected, JSON, or errors only.</summary>
internal enum OutputMode
{
    Terminal,
    Plain,
    Json,
    Quiet,
}
