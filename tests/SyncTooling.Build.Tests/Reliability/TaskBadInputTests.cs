using SyncTooling.Build.Tests.Infrastructure;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Build.Tests.Reliability;

/// <summary>One case per bad task parameter: the exact log (code and message), a failed task, and both sides unchanged.</summary>
public sealed class TaskBadInputTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public TaskBadInputTests()
    {
        _temp.Write("local/a.txt", "alpha");
        _temp.Write("remote/old.txt", "old");
    }

    private string Local => _temp.Combine("local");

    private string Remote => _temp.Combine("remote");

    public static TheoryData<string, string> Cases => new()
    {
        { "jobs zero", "error SYNCB008: Jobs is 0; it must be between 1 and 256." },
        { "shard zero", "error SYNCB017: Shard is '0/4'; it must be K/N, shard K of N, with 1 <= K <= N <= 100000 (numbered from 1, e.g. 1/4)." },
        { "shard not k over n", "error SYNCB017: Shard is '2'; it must be K/N, shard K of N, with 1 <= K <= N <= 100000 (numbered from 1, e.g. 1/4)." },
        { "jobs too high", "error SYNCB008: Jobs is 300; it must be between 1 and 256." },
        { "retries negative", "error SYNCB008: Retries is -1; it must be between 0 and 100." },
        { "max delete negative", "error SYNCB008: MaxDelete is -1; it must be between 0 and 2147483647." },
        { "sync timeout zero", "error SYNC005: SyncTimeout is 00:00:00; it must be greater than zero." },
        { "delete retries too high", "error SYNCB008: Retries is 101; it must be between 0 and 100." },
        { "delete sync timeout negative", "error SYNC005: SyncTimeout is -00:00:05; it must be greater than zero." },
        { "sync timeout past a timer's range", "error SYNCB008: SyncTimeout is 5000000; it must be between 1 and 4294967." },
        { "relative remote", "error SYNC001: RemoteDir: 'relative/remote' is a relative path, which depends on the current directory; use an absolute path or one of: a local path, file:///path, memory://name/path, s3://bucket/prefix, gs://bucket/prefix, hdfs://host:port/path, az://container/prefix, abfs[s]://container@account.dfs.core.windows.net/prefix." },
        { "ftp remote", "error SYNC001: RemoteDir: 'ftp://host/dir' is not a supported storage location: unknown scheme 'ftp'. Supported: a local path, file:///path, memory://name/path, s3://bucket/prefix, gs://bucket/prefix, hdfs://host:port/path, az://container/prefix, abfs[s]://container@account.dfs.core.windows.net/prefix." },
        { "hdfs bad port", "error SYNC001: RemoteDir: 'hdfs://namenode:99999/data' is not a supported storage location: 'namenode:99999' is not host:port: the port is 1 to 65535, not '99999'. Supported: a local path, file:///path, memory://name/path, s3://bucket/prefix, gs://bucket/prefix, hdfs://host:port/path, az://container/prefix, abfs[s]://container@account.dfs.core.windows.net/prefix." },
        { "bad bucket", "error SYNC008: RemoteDir: 'Bad_Bucket' is not a valid bucket name: bucket names use only lower-case letters, digits, '-' and '.'." },
        { "missing local dir", "error SYNCB001: LocalDir '{dir}/missing' does not exist; nothing was transferred." },
        { "remote local dir", "error SYNCB003: LocalDir 'memory://x/y' is not a local directory; pass a path (relative paths resolve against the project folder)." },
    };

    public void Dispose() => _temp.Dispose();

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsRejected_WithItsCode_AndNothingChanges(string name, string expected)
    {
        var localBefore = TempDirectory.Snapshot(Local);
        var remoteBefore = TempDirectory.Snapshot(Remote);
        var task = Create(name);
        var log = TaskHarness.Attach(task);

        bool ok = task.Execute();

        Assert.False(ok);
        Assert.Equal([expected.Replace("{dir}", _temp.Path, StringComparison.Ordinal)], log.Log);
        Assert.Equal(localBefore, TempDirectory.Snapshot(Local));
        Assert.Equal(remoteBefore, TempDirectory.Snapshot(Remote));
    }

    private SyncTaskBase Create(string name) => name switch
    {
        "jobs zero" => new SyncUp { LocalDir = Local, RemoteDir = Remote, Jobs = 0 },
        "shard zero" => new SyncUp { LocalDir = Local, RemoteDir = Remote, Shard = "0/4" },
        "shard not k over n" => new SyncDown { LocalDir = Local, RemoteDir = Remote, Shard = "2" },
        "jobs too high" => new SyncDown { LocalDir = Local, RemoteDir = Remote, Jobs = 300 },
        "retries negative" => new SyncUp { LocalDir = Local, RemoteDir = Remote, Retries = -1 },
        "max delete negative" => new SyncUp { LocalDir = Local, RemoteDir = Remote, Delete = true, MaxDelete = -1 },
        "sync timeout zero" => new SyncUp { LocalDir = Local, RemoteDir = Remote, SyncTimeout = 0 },
        "delete retries too high" => new SyncDelete { RemoteDir = Remote, Retries = 101 },
        "delete sync timeout negative" => new SyncDelete { RemoteDir = Remote, SyncTimeout = -5 },
        "sync timeout past a timer's range" => new SyncDown { LocalDir = Local, RemoteDir = Remote, SyncTimeout = 5_000_000 },
        "relative remote" => new SyncUp { LocalDir = Local, RemoteDir = "relative/remote" },
        "ftp remote" => new SyncDown { LocalDir = Local, RemoteDir = "ftp://host/dir", Delete = true },
        "hdfs bad port" => new SyncUp { LocalDir = Local, RemoteDir = "hdfs://namenode:99999/data" },
        "bad bucket" => new SyncUp { LocalDir = Local, RemoteDir = "s3://Bad_Bucket/x" },
        "missing local dir" => new SyncUp { LocalDir = _temp.Combine("missing"), RemoteDir = Remote, Delete = true },
        "remote local dir" => new SyncDown { LocalDir = "memory://x/y", RemoteDir = Remote },
        _ => throw new ArgumentException("no such case: " + name, nameof(name)),
    };
}
