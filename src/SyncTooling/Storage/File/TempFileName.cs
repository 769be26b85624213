using System.Security.Cryptography;

namespace SyncTooling.Storage.File;

/// <summary>
/// The one name shape of FileStorage's temp files: <c>.synctmp-</c> and exactly 12 lowercase hex digits. Only a
/// name of exactly that shape is treated as a temp file (skipped by listings, removed when stale), so a user's
/// <c>.synctmp-notes.txt</c> is an ordinary file.
/// </summary>
internal static class TempFileName
{
    private const int HexDigits = 12;

    public static string New() => FileStorage.TempPrefix + RandomNumberGenerator.GetHexString(HexDigits, lowercase: true);

    public static bool Matches(ReadOnlySpan<char> name)
    {
        if (name.Length != FileStorage.TempPrefix.Length + HexDigits || !name.StartsWith(FileStorage.TempPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (char c in name[FileStorage.TempPrefix.Length..])
        {
            if (c is not (>= '0' and <= '9') and not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }
}
