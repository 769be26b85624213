using Microsoft.CodeAnalysis;

namespace SyncTooling.Analyzers.Infrastructure;

/// <summary>The SyncTooling symbols the rules need, looked up once per compilation.</summary>
internal sealed class SyncToolingTypes
{
    private SyncToolingTypes(INamedTypeSymbol syncConfig, INamedTypeSymbol? syncer, INamedTypeSymbol? syncOptions, INamedTypeSymbol? timeSpan, INamedTypeSymbol? commandSyncer)
    {
        SyncConfig = syncConfig;
        CommandSyncer = commandSyncer;
        Syncer = syncer;
        SyncOptions = syncOptions;
        TimeSpan = timeSpan;
    }

    public INamedTypeSymbol SyncConfig { get; }

    public INamedTypeSymbol? Syncer { get; }

    public INamedTypeSymbol? SyncOptions { get; }

    public INamedTypeSymbol? TimeSpan { get; }

    /// <summary>The syncer that runs an external tool: its remotes are that tool's (rsync's host:/path), not storage locations.</summary>
    public INamedTypeSymbol? CommandSyncer { get; }

    /// <summary>Null when the compilation does not reference SyncTooling: every rule then stays silent.</summary>
    public static SyncToolingTypes? TryCreate(Compilation compilation)
    {
        var syncConfig = compilation.GetTypeByMetadataName("SyncTooling.SyncConfig");
        return syncConfig is null
            ? null
            : new SyncToolingTypes(
                syncConfig,
                compilation.GetTypeByMetadataName("SyncTooling.Syncer"),
                compilation.GetTypeByMetadataName("SyncTooling.Sync.SyncOptions"),
                compilation.GetTypeByMetadataName("System.TimeSpan"),
                compilation.GetTypeByMetadataName("SyncTooling.CommandSyncer"));
    }

    public bool IsSyncer(ITypeSymbol? type) => DerivesFrom(type, Syncer);

    public bool IsCommandSyncer(ITypeSymbol? type) => CommandSyncer is not null && DerivesFrom(type, CommandSyncer);

    private static bool DerivesFrom(ITypeSymbol? type, INamedTypeSymbol? baseType)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t, baseType))
            {
                return true;
            }
        }

        return false;
    }
}
