using Microsoft.AspNetCore.Http;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>The namenode's operations: metadata, and redirects to the datanode for data.</summary>
public sealed partial class WebHdfsServer
{
    private async Task NamenodeAsync(HttpContext context, string op, string hdfsPath, string local)
    {
        var query = context.Request.Query;
        switch ((context.Request.Method, op))
        {
            case ("GET", "LISTSTATUS"):
                if (Directory.Exists(local))
                {
                    var children = new DirectoryInfo(local).EnumerateFileSystemInfos().Select(i => Status(i, i.Name));
                    await JsonAsync(context, new { FileStatuses = new { FileStatus = children.ToList() } });
                }
                else if (File.Exists(local))
                {
                    await JsonAsync(context, new { FileStatuses = new { FileStatus = new[] { Status(new FileInfo(local), string.Empty) } } });
                }
                else
                {
                    await ErrorAsync(context, 404, "FileNotFoundException", $"File {hdfsPath} does not exist.");
                }

                break;
            case ("GET", "OPEN"):
                if (!File.Exists(local))
                {
                    await ErrorAsync(context, 404, "FileNotFoundException", $"File does not exist: {hdfsPath}");
                    break;
                }

                Redirect(context, "OPEN");
                break;
            case ("PUT", "CREATE"):
                if (File.Exists(local) && query["overwrite"] != "true")
                {
                    await ErrorAsync(context, 403, "FileAlreadyExistsException", $"{hdfsPath} already exists");
                    break;
                }

                CheckParents(local, hdfsPath);
                Redirect(context, "CREATE");
                break;
            case ("PUT", "MKDIRS"):
                CheckParents(Path.Combine(local, "x"), hdfsPath + "/x");
                Directory.CreateDirectory(local);
                await JsonAsync(context, new { boolean = true });
                break;
            case ("PUT", "SETTIMES"):
                if (!File.Exists(local))
                {
                    await ErrorAsync(context, 404, "FileNotFoundException", $"File does not exist: {hdfsPath}");
                    break;
                }

                if (long.TryParse(query["modificationtime"], out long millis) && millis >= 0)
                {
                    File.SetLastWriteTimeUtc(local, DateTimeOffset.FromUnixTimeMilliseconds(millis).UtcDateTime);
                }

                break;
            case ("PUT", "RENAME"):
                await RenameAsync(context, hdfsPath, local);
                break;
            case ("DELETE", "DELETE"):
                await JsonAsync(context, new { boolean = Delete(local, hdfsPath, query["recursive"] == "true") });
                break;
            default:
                await ErrorAsync(context, 400, "IllegalArgumentException", $"Invalid value for webhdfs parameter \"op\": {op} for {context.Request.Method}");
                break;
        }
    }

    private async Task RenameAsync(HttpContext context, string hdfsPath, string local)
    {
        string destination = context.Request.Query["destination"].ToString();
        string target = Local(destination);
        bool overwrite = context.Request.Query["renameoptions"].ToString().Contains("OVERWRITE", StringComparison.Ordinal);
        if (!File.Exists(local) && !Directory.Exists(local))
        {
            await ErrorAsync(context, 404, "FileNotFoundException", $"rename source {hdfsPath} is not found.");
        }
        else if (!Directory.Exists(Path.GetDirectoryName(target)))
        {
            await ErrorAsync(context, 404, "FileNotFoundException", $"rename destination parent {destination} not found.");
        }
        else if (File.Exists(target) && !overwrite)
        {
            // Plain rename answers false; rename with options (rename2) answers an exception instead.
            await JsonAsync(context, new { boolean = false });
        }
        else
        {
            File.Move(local, target, overwrite);

            // Hadoop's rename2 answers 200 with an empty body; plain rename answers {"boolean": true}.
            if (!overwrite)
            {
                await JsonAsync(context, new { boolean = true });
            }
        }
    }

    private static bool Delete(string local, string hdfsPath, bool recursive)
    {
        if (File.Exists(local))
        {
            File.Delete(local);
            return true;
        }

        if (!Directory.Exists(local))
        {
            return false;
        }

        if (!recursive && Directory.EnumerateFileSystemEntries(local).Any())
        {
            throw new IOException($"{hdfsPath} is non empty': Directory is not empty");
        }

        Directory.Delete(local, recursive);
        return true;
    }

    private void CheckParents(string local, string hdfsPath)
    {
        for (string? dir = Path.GetDirectoryName(local); dir is not null && dir.Length > _root.Path.Length; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(dir))
            {
                throw new IOException($"Parent path is not a directory: {dir[_root.Path.Length..]} (creating {hdfsPath})");
            }
        }
    }
}
