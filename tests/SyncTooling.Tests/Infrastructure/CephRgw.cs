using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>
/// A production S3 server for the tests: Ceph RADOS Gateway 16.2 from Debian (installed with apt-get on first
/// use) on a one-node cluster whose state lives in one temp folder: one monitor, one OSD on the in-memory
/// store, no cephx, no mgr, pools of size 1, the gateway on 127.0.0.1 with a free port. It checks SigV4
/// signatures, returns AWS-style multipart ETags and real error codes, and enforces quotas. Start-up is bounded
/// (60 s; a failure shows the tail of every daemon's log); on dispose it kills only the daemons it started, by their PIDs.
/// </summary>
public sealed class CephRgw : IS3TestServer, IAsyncLifetime
{
    public const string AccessKey = "SYNCTOOLINGRGW0000001";
    public const string SecretKey = "synctooling-rgw-test-secret-0000000000001";
    public const string UserId = "synctooling";

    private static readonly string[] Packages = ["ceph-mon", "ceph-osd", "radosgw", "ceph-common"];
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);

    private readonly TempDirectory _root = new();
    private readonly List<Process> _daemons = [];
    private Process? _watchdog;
    private readonly Lock _logLock = new();
    private readonly TimeSpan _startTimeout;
    private readonly bool _withoutOsd;

    public CephRgw()
        : this(TimeSpan.FromSeconds(60))
    {
    }

    /// <summary>
    /// For the fixture's own tests (xunit needs the single public constructor above): without the OSD the gateway
    /// waits for storage forever, so the start-up is sure to meet its timeout.
    /// </summary>
    internal CephRgw(TimeSpan startTimeout, bool withoutOsd = false)
    {
        _startTimeout = startTimeout;
        _withoutOsd = withoutOsd;
    }

    public int Port { get; private set; }

    public string Endpoint => $"127.0.0.1:{Port}";

    public BasicAWSCredentials Credentials => new(AccessKey, SecretKey);

    /// <summary>The folder that holds all of the cluster's state.</summary>
    internal string Folder => _root.Path;

    /// <summary>The PIDs of the daemons started, monitor first; kept after they are stopped.</summary>
    internal List<int> StartedIds { get; } = [];

    private string ConfigFile => _root.Combine("ceph.conf");

    public async Task InitializeAsync()
    {
        await EnsurePackagesAsync();
        using var timeout = new CancellationTokenSource(_startTimeout);
        try
        {
            await StartClusterAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            string why = timeout.IsCancellationRequested ? $"did not start within {_startTimeout.TotalSeconds:0.#} s" : "failed to start: " + ex.Message;
            string tail = LogTail();
            StopDaemons(); // a half-started cluster would use CPU for the rest of the run
            throw new InvalidOperationException($"Ceph RGW {why}\n{tail}", ex);
        }
    }

    public Task DisposeAsync()
    {
        StopDaemons();
        _root.Dispose();
        return Task.CompletedTask;
    }

    public override string ToString() => "Ceph RGW";

    private void StopDaemons()
    {
        if (_watchdog is { HasExited: false })
        {
            _watchdog.Kill();
        }

        _watchdog?.Dispose();
        _watchdog = null;

        // Reverse order: the gateway first, the monitor last, so no daemon waits on one already gone.
        for (int i = _daemons.Count - 1; i >= 0; i--)
        {
            try
            {
                if (!_daemons[i].HasExited)
                {
                    _daemons[i].Kill();
                    _daemons[i].WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
            }

            _daemons[i].Dispose();
        }

        _daemons.Clear();
    }

    /// <summary>Runs <c>radosgw-admin</c> against this cluster and returns its standard output.</summary>
    public Task<string> AdminAsync(params string[] args) => RunAsync("radosgw-admin", ["-c", ConfigFile, .. args], CancellationToken.None);

    /// <summary>Creates a gateway user with the given keys.</summary>
    public Task CreateUserAsync(string uid, string accessKey, string secretKey) =>
        AdminAsync("user", "create", "--uid=" + uid, "--display-name=" + uid, "--access-key=" + accessKey, "--secret=" + secretKey);

    private async Task StartClusterAsync(CancellationToken ct)
    {
        string fsid = Guid.NewGuid().ToString();
        int monPort = FreePort();
        Port = FreePort();
        foreach (string dir in new[] { "run", "log", "mon", "osd", "rgw" })
        {
            Directory.CreateDirectory(_root.Combine(dir));
        }

        await File.WriteAllTextAsync(ConfigFile, Config(fsid, monPort), ct);
        string monmap = _root.Combine("monmap");
        await RunAsync("monmaptool", ["--create", "--fsid", fsid, "--addv", "a", $"[v2:127.0.0.1:{monPort}]", monmap], ct);
        await RunAsync("ceph-mon", ["-c", ConfigFile, "--mkfs", "-i", "a", "--monmap", monmap, .. RunAs()], ct);
        StartDaemon("ceph-mon", "-i", "a");

        string osdUuid = Guid.NewGuid().ToString();
        await RunAsync("ceph", ["-c", ConfigFile, "--connect-timeout", "20", "osd", "new", osdUuid], ct);
        await RunAsync("ceph-osd", ["-c", ConfigFile, "-i", "0", "--mkfs", "--osd-uuid", osdUuid, .. RunAs()], ct);
        if (!_withoutOsd)
        {
            StartDaemon("ceph-osd", "-i", "0");
        }

        // The gateway creates its pools and waits for the OSD by itself; it answers HTTP once it is ready.
        StartDaemon("radosgw", "-n", "client.rgw");
        _watchdog = StartWatchdog(Environment.ProcessId, StartedIds, _root.Path);
        await WaitForHttpAsync(ct);

        await CreateUserAsync(UserId, AccessKey, SecretKey);
        using var client = ((IS3TestServer)this).CreateClient();
        await client.PutBucketAsync(IS3TestServer.DefaultBucket, ct);
    }

    private string Config(string fsid, int monPort)
    {
        string d = _root.Path;
        return $"""
            [global]
            fsid = {fsid}
            mon host = v2:127.0.0.1:{monPort}
            mon initial members = a
            auth cluster required = none
            auth service required = none
            auth client required = none
            # With cephx off the gateway cannot reach the monitor in the default "secure" client mode.
            ms mon client mode = crc secure
            # Start-up in about 3 s instead of 16 s.
            paxos propose interval = 0.1
            osd pool default size = 1
            osd pool default min size = 1
            # RGW makes 8 pools; 32 PGs each would pass the 250-PG-per-OSD limit.
            osd pool default pg num = 8
            osd pool default pgp num = 8
            osd pool default pg autoscale mode = off
            osd crush chooseleaf type = 0
            mon allow pool size one = true
            mon warn on pool no redundancy = false
            osd objectstore = memstore
            memstore device bytes = 4294967296
            run dir = {d}/run
            admin socket = {d}/run/$name.asok
            pid file = {d}/run/$name.pid
            log file = {d}/log/$name.log
            keyring = {d}/keyring
            mon data = {d}/mon
            osd data = {d}/osd
            rgw data = {d}/rgw

            [client.rgw]
            rgw frontends = beast endpoint=127.0.0.1:{Port}

            """; // Ceph's parser needs the final newline.
    }

    private void StartDaemon(string program, params string[] args)
    {
        var info = Start(program, ["-c", ConfigFile, "-f", .. args, .. RunAs()]);
        string output = _root.Combine("log", program + ".out");
        var process = Process.Start(info) ?? throw new InvalidOperationException(program + " did not start");
        _daemons.Add(process);
        StartedIds.Add(process.Id);
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>
    /// A shell that kills <paramref name="pids"/> (and removes <paramref name="folder"/>) once <paramref name="ownerPid"/>
    /// is gone, so a test host that crashes or is killed leaves no Ceph daemon running on the shared machine.
    /// </summary>
    internal static Process StartWatchdog(int ownerPid, IEnumerable<int> pids, string folder)
    {
        const string Script = """
            owner=$1; folder=$2; shift 2
            while kill -0 "$owner" 2>/dev/null; do sleep 1; done
            kill -9 "$@" 2>/dev/null
            rm -rf "$folder"
            """;
        string[] args = ["-c", Script, "ceph-watchdog", ownerPid.ToString(CultureInfo.InvariantCulture), folder, .. pids.Select(p => p.ToString(CultureInfo.InvariantCulture))];
        var info = Start("sh", args);
        info.RedirectStandardOutput = false;
        info.RedirectStandardError = false;
        return Process.Start(info) ?? throw new InvalidOperationException("sh did not start");
    }

    private async Task WaitForHttpAsync(CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            if (_daemons.Find(p => p.HasExited) is { } dead)
            {
                throw new InvalidOperationException($"{dead.StartInfo.FileName} exited with {dead.ExitCode}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://{Endpoint}/"), ct);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
            {
                await Task.Delay(200, ct);
            }
        }
    }

    private static async Task<string> RunAsync(string program, string[] args, CancellationToken ct, TimeSpan? timeout = null)
    {
        var info = Start(program, args);
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(info) ?? throw new InvalidOperationException(program + " did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout ?? CommandTimeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} did not finish within {(timeout ?? CommandTimeout).TotalSeconds:0} s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {process.ExitCode}: {(await stderr).Trim()} {(await stdout).Trim()}");
        }

        return await stdout;
    }

    private static ProcessStartInfo Start(string program, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    // Debian's daemons drop to the ceph user by default, which cannot write our temp folder.
    private static string[] RunAs() => Environment.UserName == "root" ? ["--setuser", "root", "--setgroup", "root"] : [];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string path, string? line)
    {
        if (line is not null)
        {
            lock (_logLock)
            {
                File.AppendAllText(path, line + "\n");
            }
        }
    }

    /// <summary>The last lines of every daemon's log and output, for a start-up that failed.</summary>
    private string LogTail()
    {
        var text = new StringBuilder();
        string logs = _root.Combine("log");
        string[] files = Directory.Exists(logs) ? Directory.GetFiles(logs) : [];
        foreach (string file in files.Order(StringComparer.Ordinal))
        {
            string[] lines;
            lock (_logLock)
            {
                lines = File.ReadAllLines(file);
            }

            text.Append(CultureInfo.InvariantCulture, $"--- {Path.GetFileName(file)} (last 15 lines)\n");
            foreach (string line in lines.TakeLast(15))
            {
                text.Append(line).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>Installs the Ceph packages with apt-get when the gateway is missing (once per test process).</summary>
    private static Task EnsurePackagesAsync() => Installed.Value;

    private static readonly Lazy<Task> Installed = new(async () =>
    {
        if (OnPath("radosgw") && OnPath("ceph-mon") && OnPath("ceph-osd") && OnPath("ceph"))
        {
            return;
        }

        string packages = string.Join(' ', Packages);
        Console.Error.WriteLine($"Ceph RGW tests: installing {packages} with apt-get (bash .ci/run does this up front).");
        try
        {
            await RunAsync("apt-get", ["update", "-qq"], CancellationToken.None, InstallTimeout);
            await RunAsync("apt-get", ["install", "-y", "-qq", .. Packages], CancellationToken.None, InstallTimeout);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException(
                $"The Ceph RGW tests need the Debian packages {packages}, and installing them failed (run as root: apt-get install -y {packages}): {ex.Message}", ex);
        }
    });

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));
}

[CollectionDefinition("ceph-rgw")]
public sealed class CephRgwCollection : ICollectionFixture<CephRgw>;
