using System.Security.Cryptography;
using System.Text;

namespace SyncTooling.Cli.Demo;

/// <summary>The sample run directory the demo syncs: a few files as a training run would leave them.</summary>
internal static class DemoTree
{
    /// <summary>The pattern the demo excludes, to show that excluded files stay behind.</summary>
    public const string ExcludedPattern = "*.tmp";

    public static IReadOnlyDictionary<string, string> Files { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["params.json"] = """{ "lr": 0.001, "batch_size": 32, "epochs": 3 }""" + "\n",
        ["progress.csv"] = "epoch,loss,accuracy\n1,0.91,0.62\n2,0.55,0.78\n3,0.41,0.84\n",
        ["result.json"] = """{ "loss": 0.41, "accuracy": 0.84 }""" + "\n",
        ["checkpoint_000001/model.bin"] = new string('a', 4096),
        ["checkpoint_000002/model.bin"] = new string('b', 4096),
        ["logs/train.log"] = "epoch 1 done\nepoch 2 done\nepoch 3 done\n",
        ["scratch.tmp"] = "scratch data that is never synced\n",
    };

    public static void Write(string root)
    {
        foreach (var (key, content) in Files)
        {
            string path = Path.Combine(root, key.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content, Encoding.UTF8);
        }
    }

    /// <summary>Relative POSIX path to SHA-256 of every file below <paramref name="root"/>.</summary>
    public static SortedDictionary<string, string> Hashes(string root)
    {
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            string key = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            hashes[key] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
        }

        return hashes;
    }
}
