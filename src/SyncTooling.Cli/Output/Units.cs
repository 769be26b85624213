using System.Globalization;

namespace SyncTooling.Cli.Output;

/// <summary>Human-readable sizes, rates and durations for the text output (JSON keeps raw numbers).</summary>
internal static class Units
{
    private static readonly string[] Suffixes = ["B", "KiB", "MiB", "GiB", "TiB"];

    public static string Bytes(long bytes)
    {
        double value = bytes;
        int i = 0;
        while (value >= 1024 && i < Suffixes.Length - 1)
        {
            value /= 1024;
            i++;
        }

        return i == 0
            ? bytes.ToString(CultureInfo.InvariantCulture) + " B"
            : value.ToString("0.0", CultureInfo.InvariantCulture) + " " + Suffixes[i];
    }

    public static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    public static string Eta(TimeSpan eta) =>
        eta.TotalHours >= 1 ? ((int)eta.TotalHours).ToString(CultureInfo.InvariantCulture) + "h" + eta.Minutes.ToString("00", CultureInfo.InvariantCulture) + "m"
        : eta.TotalMinutes >= 1 ? ((int)eta.TotalMinutes).ToString(CultureInfo.InvariantCulture) + "m" + eta.Seconds.ToString("00", CultureInfo.InvariantCulture) + "s"
        : ((int)Math.Ceiling(eta.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s";
}
