using System.Text;
using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Reliability;

/// <summary>
/// Keys with control characters or bytes that are not UTF-8 round-trip or are refused with a reason, and never make a
/// prefix unusable for up, down, ls or delete.
/// </summary>
public sealed class OddKeyTests
{
    /// <summary>Url-encoded keys as a server answering encoding-type=url sends them, and the keys they stand for.</summary>
    private static readonly (string Encoded, string Key)[] Served =
    [
        ("run/ctl%01.txt", "ctl\u0001.txt"),
        ("run/del%7F.txt", "del\u007f.txt"),
        ("run/new%0Aline.txt", "new\nline.txt"),
        ("run/tab%09.txt", "tab\t.txt"),
        ("run/space+name.txt", "space name.txt"),
        ("run/plus%2B.txt", "plus+.txt"),
        ("run/percent%2541.txt", "percent%41.txt"),
        ("run/%C3%A9t%C3%A9.txt", "\u00e9t\u00e9.txt"),
        ("run/ok.txt", "ok.txt"),
    ];

    private static readonly string[] NotUtf8 = ["run/bad%C3%28.txt", "run/bad%FF.txt"];

    private static byte[] Content(string key) => Encoding.UTF8.GetBytes("content of " + key);

    /// <summary>A key as the SDK writes it into a DeleteObjects body (a newline as a character reference).</summary>
    private static string Xml(string key) => System.Security.SecurityElement.Escape(key)!.Replace("\n", "&#xA;", StringComparison.Ordinal);

    private static ListedObject Listed(string encoded, string key) => ListedObject.Of(encoded, Content(key));

    /// <summary>Lists the served keys url-encoded; answers GETs by decoded key, DeleteObjects and DELETE with success.</summary>
    private static HostileS3Server Serve(params (string Encoded, string Key)[] extra)
    {
        var byKey = Served.Concat(extra).ToDictionary(s => "run/" + s.Key, s => s.Key, StringComparer.Ordinal);
        return HostileS3Server.Start(async r =>
        {
            if (r.IsList)
            {
                var objects = Served.Concat(extra).Select(s => Listed(s.Encoded, s.Key)).Concat(NotUtf8.Select(k => ListedObject.Of(k, [1])));
                await r.RespondListAsync(objects, encodingType: "url");
            }
            else if (r.IsGet && byKey.TryGetValue(r.Key, out var key))
            {
                await r.RespondAsync(200, Content(key), [new("ETag", "\"" + ListedObject.Of(key, Content(key)).ETag + "\"")]);
            }
            else if (r.IsDeleteObjects)
            {
                await r.RespondXmlAsync(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></DeleteResult>");
            }
            else if (r.Method == "DELETE" || r.IsPut)
            {
                await r.RespondAsync(r.IsPut ? 200 : 204, headers: r.IsPut ? [new("ETag", "\"" + ListedObject.Of("x", r.Body).ETag + "\"")] : null);
            }
            else
            {
                await r.RespondErrorAsync(404, "NoSuchKey");
            }
        });
    }

    public sealed class FromAServerThatUrlEncodesKeys : IDisposable
    {
        private readonly TempDirectory _temp = new();

        public void Dispose() => _temp.Dispose();

        [Fact]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public async Task SyncDown_DecodesEachKeyOnce_RefusesKeysThatAreNotUtf8_AndSyncsTheRest()
        {
            await using var server = Serve();
            _temp.Write("local/stale.txt", "stale");
            var engine = new SyncEngine(server.Registry());

            var result = await engine.SyncAsync(StorageUri.Parse(server.Location("run")), StorageUri.Parse(_temp.Combine("local")), new SyncOptions { Delete = true });

            Assert.True(result.Succeeded, string.Join("; ", result.Failures));
            Assert.Equal("url", server.Requests.First(r => r.IsList).Query["encoding-type"]);
            Assert.Equal(
                Served.Select(s => s.Key).Order(StringComparer.Ordinal),
                TempDirectory.Snapshot(_temp.Combine("local")).Keys);
            foreach (var (_, key) in Served)
            {
                Assert.Equal(Content(key), File.ReadAllBytes(Path.Combine(_temp.Combine("local"), key)));
            }

            Assert.Equal(["bad\udcc3(.txt", "bad\udcff.txt"], result.Refused.Select(f => f.Key));
            Assert.All(result.Refused, f => Assert.Contains("the key is not valid UTF-8", f.Message, StringComparison.Ordinal));
            Assert.Equal(["stale.txt"], result.Deleted);
            Assert.DoesNotContain(server.Requests, r => r.IsGet && r.Key.StartsWith("run/bad", StringComparison.Ordinal));
        }

        [Fact]
        public async Task SyncUp_WithDelete_WritesAndDeletesControlCharacterKeys_AndNeverTouchesKeysThatAreNotUtf8()
        {
            await using var server = Serve();
            _temp.Write("local/ok.txt", "new content");
            _temp.Write("local/new\u0001.txt", "new");
            var engine = new SyncEngine(server.Registry());

            var result = await engine.SyncAsync(StorageUri.Parse(_temp.Combine("local")), StorageUri.Parse(server.Location("run")), new SyncOptions { Delete = true, Checksum = true });

            Assert.True(result.Succeeded, string.Join("; ", result.Failures));
            Assert.Contains(server.Requests, r => r.IsPut && r.Key == "run/new\u0001.txt");

            // A key XML cannot carry goes in the URL of a DELETE of its own; the others in one DeleteObjects body.
            Assert.Contains(server.Requests, r => r.Method == "DELETE" && r.Key == "run/ctl\u0001.txt");
            string body = Encoding.UTF8.GetString(server.Requests.Single(r => r.IsDeleteObjects).Body);
            Assert.Contains("<Key>run/new&#xA;line.txt</Key>", body, StringComparison.Ordinal);
            Assert.Contains("<Key>run/percent%41.txt</Key>", body, StringComparison.Ordinal);
            Assert.DoesNotContain("ctl", body, StringComparison.Ordinal);
            Assert.DoesNotContain("bad", body, StringComparison.Ordinal);
            Assert.Equal(2, result.Refused.Count);
        }

        [Fact]
        public async Task Ls_ListsEveryKey_AndDelete_RemovesEveryKey_NotUtf8OnesByTheirRawBytes()
        {
            await using var server = Serve();
            var engine = new SyncEngine(server.Registry());
            var remote = StorageUri.Parse(server.Location("run"));

            var listed = await engine.ListAsync(remote);
            var deleted = await engine.DeleteAsync(remote);

            var all = Served.Select(s => s.Key).Concat(["bad\udcc3(.txt", "bad\udcff.txt"]).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(all, listed.Select(e => e.Key));
            Assert.Equal(all, deleted);
            Assert.Contains(server.Requests, r => r.Method == "DELETE" && r.Key == "run/ctl\u0001.txt");
            string body = Encoding.UTF8.GetString(server.Requests.Single(r => r.IsDeleteObjects).Body);
            Assert.All(Served.Where(s => s.Key != "ctl\u0001.txt"), s => Assert.Contains($"<Key>run/{Xml(s.Key)}</Key>", body, StringComparison.Ordinal));
            Assert.DoesNotContain("bad", body, StringComparison.Ordinal);

            // The raw bytes, percent-encoded once, in a signed DELETE of their own.
            foreach (string target in new[] { "/hostile/run/bad%C3%28.txt", "/hostile/run/bad%FF.txt" })
            {
                var request = Assert.Single(server.Requests, r => r.Method == "DELETE" && r.Target == target);
                Assert.StartsWith($"AWS4-HMAC-SHA256 Credential={HostileS3Server.AccessKey}/", request.Header("Authorization"), StringComparison.Ordinal);
            }
        }

        [Fact]
        public async Task AServerThatIgnoresEncodingType_HasItsKeysTakenAsTheyAre()
        {
            await using var server = HostileS3Server.Start(r => r.RespondListAsync([ListedObject.Of("run/a+b%20.txt", [1])]));

            var listed = await new SyncEngine(server.Registry()).ListAsync(StorageUri.Parse(server.Location("run")));

            Assert.Equal("a+b%20.txt", Assert.Single(listed).Key);
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public sealed class LocalNamesThatAreNotUtf8 : IDisposable
    {
        private static readonly byte[] BadName = [.. "bad"u8, 0xFF, .. ".txt"u8];
        private readonly TempDirectory _temp = new();

        public LocalNamesThatAreNotUtf8()
        {
            _temp.Write("local/ok.txt", "ok");
            RawFileName.Create(_temp.Combine("local"), BadName, [1, 2, 3]);
        }

        public void Dispose() => _temp.Dispose();

        [Fact]
        public async Task SyncUp_RefusesTheName_WithItsReason_AndSyncsTheRest()
        {
            string remote = $"memory://odd-keys/{Guid.NewGuid():N}";

            var result = await new SyncEngine().SyncAsync(StorageUri.Parse(_temp.Combine("local")), StorageUri.Parse(remote), new SyncOptions { Delete = true });

            Assert.True(result.Succeeded, string.Join("; ", result.Failures));
            Assert.Equal(["ok.txt"], result.Transferred);
            var refused = Assert.Single(result.Refused);
            Assert.Equal("bad\uFFFD.txt", refused.Key);
            Assert.Equal(
                $"refused in '{_temp.Combine("local")}': the file name is not valid UTF-8 (shown with U+FFFD), so it cannot be read or stored under its own name; it was skipped.",
                refused.Message);
        }

        [Fact]
        public async Task Delete_FailsNamingThePath_BeforeRemovingAnything()
        {
            var ex = await Assert.ThrowsAsync<StorageException>(() => new SyncEngine().DeleteAsync(StorageUri.Parse(_temp.Combine("local"))));

            Assert.Equal(
                $"'{_temp.Combine("local", "bad\uFFFD.txt")}': the file name is not valid UTF-8 (shown with U+FFFD), so it cannot be read or stored under its own name; nothing was deleted (remove it with a tool that works on raw bytes, e.g. rm).",
                ex.Message);
            Assert.True(File.Exists(_temp.Combine("local", "ok.txt")));
            Assert.True(RawFileName.Exists(_temp.Combine("local"), BadName));
        }
    }
}
