using SyncTooling.Cli.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Cli.Tests.Reliability;

/// <summary>`--delete` removes nothing unless both listings and every transfer succeeded, and never in a dry run or past --max-delete.</summary>
[Collection("s3rver")]
public sealed class DeleteSafetyTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly S3Server _server;

    public DeleteSafetyTests(S3Server server)
    {
        _server = server;
        _temp.Write("local/new.txt", "new");
        _temp.Write("remote/old1.txt", "old1");
        _temp.Write("remote/old2.txt", "old2");
    }

    private string Local => _temp.Combine("local");

    private string Remote => _temp.Combine("remote");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SourceListingFailed_DeletesNothing()
    {
        string unreachable = $"s3://{S3Server.Bucket}/x?endpoint_override=127.0.0.1:{FreePort()}&scheme=http";

        var result = await RunAsync("down", unreachable, Remote, "--delete", "--retries", "0");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: Network error on listing: connection refused at 127.0.0.1:", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(["old1.txt", "old2.txt"], TempDirectory.Snapshot(Remote).Keys);
    }

    [Fact]
    public async Task SourcePrefixWithNoObjects_DeletesNothing()
    {
        string empty = _server.Location($"never-written/{Guid.NewGuid():N}");

        var result = await RunAsync("down", empty, Remote, "--delete");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal($"error: Source '{empty}' has no files (a missing or mistyped prefix?). Nothing was transferred or deleted.\n", result.Stderr);
        Assert.Equal(["old1.txt", "old2.txt"], TempDirectory.Snapshot(Remote).Keys);
    }

    [Fact]
    public async Task SourceBucketMissing_DeletesNothing_AndLsAndDeleteOfIt_ExitWithNotFound()
    {
        string missing = _server.Location("x", bucket: "no-such-bucket");
        const string Says = "Bucket 'no-such-bucket' does not exist (NoSuchBucket): check the bucket name, the region and the endpoint.";

        var down = await RunAsync("down", missing, Remote, "--delete");
        var ls = await RunAsync("ls", missing);
        var delete = await RunAsync("delete", missing);

        Assert.Equal(3, down.ExitCode);
        Assert.Equal($"error: Source '{missing}' does not exist: {Says} Nothing was transferred or deleted.\n", down.Stderr);
        Assert.Equal(["old1.txt", "old2.txt"], TempDirectory.Snapshot(Remote).Keys);
        // Both exited 1 ("failed") before; a missing Azure container already exited 3.
        Assert.Equal((3, $"error: {Says} Nothing was listed.\n"), (ls.ExitCode, ls.Stderr));
        Assert.Equal(3, delete.ExitCode);
        Assert.Contains(Says, delete.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SourceFolderMissing_DeletesNothing()
    {
        var result = await RunAsync("up", _temp.Combine("missing"), Remote, "--delete");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal($"error: Source '{_temp.Combine("missing")}' does not exist. Nothing was transferred or deleted.\n", result.Stderr);
        Assert.Equal(["old1.txt", "old2.txt"], TempDirectory.Snapshot(Remote).Keys);
    }

    [Fact]
    public async Task SourceThatIsNotAReadableFolder_DeletesNothing()
    {
        var result = await RunAsync("up", _temp.Combine("local", "new.txt"), Remote, "--delete");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: '{_temp.Combine("local", "new.txt")}' is a file, not a directory.\n", result.Stderr);
        Assert.Equal(["old1.txt", "old2.txt"], TempDirectory.Snapshot(Remote).Keys);
    }

    [Fact]
    public async Task EmptySourceFolder_IsRefused_AndDeletesNothing()
    {
        Directory.CreateDirectory(_temp.Combine("empty"));

        var result = await RunAsync("up", _temp.Combine("empty"), Remote, "--delete");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"error: Source '{_temp.Combine("empty")}' is empty (a mount that is not there?), so mirroring it would delete all 2 files in '{Remote}'. Nothing was changed; --allow-empty-source forces it.\n",
            result.Stderr);
        Assert.Equal(["old1.txt", "old2.txt"], TempDirectory.Snapshot(Remote).Keys);
    }

    [Fact]
    public async Task EmptySourceFolder_WithAllowEmptySource_EmptiesTheDestination()
    {
        Directory.CreateDirectory(_temp.Combine("empty"));

        var result = await RunAsync("up", _temp.Combine("empty"), Remote, "--delete", "--allow-empty-source");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(TempDirectory.Snapshot(Remote));
    }

    [Fact]
    public async Task AllowEmptySource_WithoutDelete_IsAUsageError()
    {
        var result = await RunAsync("up", Local, Remote, "--allow-empty-source");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: --allow-empty-source allows --delete from an empty source; add --delete or drop --allow-empty-source.\n", result.Stderr);
        Assert.Equal(["old1.txt", "old2.txt"], TempDirectory.Snapshot(Remote).Keys);
    }

    [Fact]
    public async Task DryRun_ListsWhatWouldGo_AndDeletesNothing()
    {
        var result = await RunAsync("up", Local, Remote, "--delete", "--dry-run");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("would delete old1.txt", result.StdoutLines);
        Assert.Contains("would delete old2.txt", result.StdoutLines);
        Assert.Equal(["old1.txt", "old2.txt"], TempDirectory.Snapshot(Remote).Keys);
    }

    [Fact]
    public async Task MaxDelete_RefusesALargerDeletion_BeforeChangingAnything()
    {
        var result = await RunAsync("up", Local, Remote, "--delete", "--max-delete", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: Refusing to delete 2 files from '{Remote}': more than the limit of 1 (max-delete). Nothing was transferred or deleted.\n", result.Stderr);
        Assert.Equal(["old1.txt", "old2.txt"], TempDirectory.Snapshot(Remote).Keys);
    }

    [Fact]
    public async Task SourceInsideTheTarget_IsRefused_AndTheSourceSurvives()
    {
        _temp.Write("t/src/a", "a");
        _temp.Write("t/keep", "keep");

        var result = await RunAsync("up", _temp.Combine("t", "src"), _temp.Combine("t"), "--delete");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: Refusing to sync '{_temp.Combine("t", "src")}' to '{_temp.Combine("t")}': the destination contains the source; nothing was changed.\n", result.Stderr);
        Assert.Equal(["keep", "src/a"], TempDirectory.Snapshot(_temp.Combine("t")).Keys);
    }

    [Fact]
    public async Task Watch_OfASourceInsideTheTarget_StopsAtOnce_AndTheSourceSurvives()
    {
        _temp.Write("t/run/a", "a");
        _temp.Write("t/keep", "keep");

        var result = await RunAsync("watch", _temp.Combine("t", "run"), _temp.Combine("t"), "--delete").WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith($"error: Refusing to sync '{_temp.Combine("t", "run")}' to '{_temp.Combine("t")}': the destination contains the source; nothing was changed.\n", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(["keep", "run/a"], TempDirectory.Snapshot(_temp.Combine("t")).Keys);
    }

    [Fact]
    public async Task MaxDelete_AllowsADeletionWithinTheLimit()
    {
        var result = await RunAsync("up", Local, Remote, "--delete", "--max-delete", "2");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["new.txt"], TempDirectory.Snapshot(Remote).Keys);
    }

    private Task<CliResult> RunAsync(params string[] args) => SyncRun.RunAsync(new TestConsole(), args, registry: _server.Registry);

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
