namespace SyncTooling.Commands;

/// <summary>How a <see cref="CommandSyncer"/> renders each exclude pattern into the <c>{options}</c> arguments.</summary>
public enum CommandExcludeStyle
{
    /// <summary>rsync: one argument <c>--exclude=PATTERN</c>.</summary>
    Rsync,

    /// <summary>aws s3 sync: two arguments, <c>--exclude</c> and <c>PATTERN</c>.</summary>
    AwsCli,

    /// <summary>rclone: two arguments, <c>--exclude</c> and <c>PATTERN</c>.</summary>
    Rclone,
}
