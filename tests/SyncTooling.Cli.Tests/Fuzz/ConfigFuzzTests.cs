using System.Diagnostics;
using System.Text;
using CsCheck;
using SyncTooling.Cli.Config;
using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Tests.Fuzz;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests.Fuzz;

/// <summary>
/// `sync validate --config FILE` on fuzzed files: any bytes (invalid UTF-8, deep nesting, odd values) give findings
/// or one usage error; a file that never ends (/dev/zero), a huge one, or a named pipe that nobody writes to stop at
/// the size cap or the read timeout instead of eating memory or hanging. Corpus: tests/fuzz/corpus/config/.
/// </summary>
public sealed class ConfigFuzzTests(CliFuzzHost host) : IClassFixture<CliFuzzHost>
{
    private static readonly string[] Pieces =
    [
        "{", "}", "[", "]", ",", ":", "\"", "\"UploadDir\"", "\"uploaddir\"", "\"Syncer\"", "\"SyncPeriod\"", "\"SyncTimeout\"",
        "\"SyncOnCheckpoint\"", "\"SyncArtifacts\"", "\"SyncArtifactsOnCheckpoint\"", "\"Exclude\"", "\"Frob\"", "null", "true",
        "false", "0", "-5", "1e308", "1e-400", "922337203685.4775", "-922337203685.4776", "\"00:05:00\"", "\"10675199.02:48:05.4775807\"",
        "\"abc\"", "\"s3://bucket/p?secret_key=" + CliFuzzHost.Secret + "\"", "\"s3://b/p?endpoint_override=http://u:" + CliFuzzHost.Secret + "@h\"",
        "\"[z-a]\"", "\"[\"", "\"hdfs://::1:9870/p\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\n\"", "/* c */", "// c\n", "\ufeff", " ",
    ];

    private static readonly Gen<byte[]> Files = Gen.Frequency(
        (6, Gen.OneOf(Pieces).Array[0, 16].Select(p => Encoding.UTF8.GetBytes(string.Concat(p)))),
        (2, Gen.Select(Gen.OneOf(Pieces).Array[0, 8], Gen.Byte.Array[1, 4], (p, bad) => (byte[])[.. Encoding.UTF8.GetBytes(string.Concat(p)), .. bad])),
        (1, Gen.Byte.Array[0, 64]),
        (1, Gen.Int[1, 5_000].Select(depth => Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth)))));

    public static TheoryData<string> CorpusFiles => Corpus.Files("config");

    [Fact]
    public Task BoundedPass_EveryConfigFileGivesFindingsOrOneUsageError() =>
        FuzzPass.RunAsync(Files, ValidateAsync, bytes => Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 256))));

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public Task Corpus_EveryConfigFileGivesFindingsOrOneUsageError(string file) => ValidateAsync(Corpus.Bytes("config", file));

    [Fact]
    public async Task DevZero_StopsAtTheSizeCap()
    {
        var watch = Stopwatch.StartNew();
        var result = await host.RunAsync(["validate", "--config", "/dev/zero"]);

        Assert.Equal((2, ""), (result.ExitCode, result.Stdout));
        Assert.Equal("error: --config '/dev/zero' is larger than 1 MiB; a SyncConfig file holds a few fields.\n", result.Stderr);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task HugeFile_StopsAtTheSizeCap_WithoutReadingItAll()
    {
        string path = Path.Combine(host.Root, "huge.json");
        using (var file = File.Create(path))
        {
            file.SetLength(64L * 1024 * 1024);
        }

        var result = await host.RunAsync(["validate", "--config", path]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: --config '{path}' is larger than 1 MiB; a SyncConfig file holds a few fields.\n", result.Stderr);
    }

    [Fact]
    public async Task NamedPipeNobodyWritesTo_StopsAtTheReadTimeout()
    {
        string fifo = Path.Combine(host.Root, $"pipe-{Guid.NewGuid():N}");
        Assert.Equal(0, Process.Start("mkfifo", [fifo])!.WaitForExitAndGetCode());
        var clock = new TimerSignalingTimeProvider();

        var run = host.RunAsync(["validate", "--config", fifo], clock);
        await clock.WaitForTimersAsync();
        clock.Advance(BoundedFile.ReadTimeout);
        var result = await run.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: --config '{fifo}' gave no end of data within 10 s; it must be a JSON file (a named pipe that nobody writes to never ends).\n", result.Stderr);

        // Let the abandoned open finish (it pairs with this writer), bounded in case it never got to the pipe.
        var unblock = Task.Run(() => new FileStream(fifo, FileMode.Open, FileAccess.Write).Dispose());
        await Task.WhenAny(unblock, Task.Delay(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task InvalidUtf8_IsAUsageError_NotReplacedSilently()
    {
        string path = Path.Combine(host.Root, "latin1.json");
        File.WriteAllBytes(path, [.. "{ \"UploadDir\": \"/data/caf"u8, 0xE9, .. "\" }"u8]);

        var result = await host.RunAsync(["validate", "--config", path]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"error: --config '{path}' is not valid JSON: ", result.Stderr, StringComparison.Ordinal);
    }

    private async Task ValidateAsync(byte[] bytes)
    {
        string path = Path.Combine(host.Root, $"config-{Guid.NewGuid():N}.json");
        await File.WriteAllBytesAsync(path, bytes);
        try
        {
            var result = await host.RunAsync(["validate", "--config", path]);
            Assert.True(result.ExitCode is 0 or 2, $"exit {result.ExitCode}: {result.Stderr}");
        }
        finally
        {
            File.Delete(path);
        }
    }
}

internal static class ProcessExtensions
{
    public static int WaitForExitAndGetCode(this Process process)
    {
        using (process)
        {
            process.WaitForExit();
            return process.ExitCode;
        }
    }
}
