using System.Text;
using System.Text.RegularExpressions;

namespace SyncTooling.Tests.Infrastructure;

/// <summary>
/// The servers a timeout must end: one misbehaviour each, on a <see cref="HostileS3Server"/>, with the one-line
/// message that names it. Shared by the library, tool and MSBuild tests.
/// </summary>
public static class StallingServers
{
    /// <summary>Every kind, for <c>[MemberData]</c>.</summary>
    public static TheoryData<string> Kinds => ["never-accepting", "slow-headers", "slow-body", "endless-listing"];

    // Slow enough that no answer ends within any timeout a test uses, fast enough that every read succeeds at once.
    private static readonly TimeSpan Drip = TimeSpan.FromMilliseconds(50);

    public static HostileS3Server Start(string kind) => kind switch
    {
        // Listens, never accepts: the handshake completes in the kernel's backlog, then nothing is ever answered.
        "never-accepting" => HostileS3Server.NeverAccepting(),

        // The status line and then an endless header, one byte at a time.
        "slow-headers" => HostileS3Server.Start(r => r.DribbleAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nx-amz-request-id: slow\r\nx-slow: " + new string('a', 100_000)), Drip)),

        // Whole headers at once, then a listing body that trickles.
        "slow-body" => HostileS3Server.Start(async r =>
        {
            await r.WriteRawAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 100000\r\nx-amz-request-id: slow\r\nConnection: close\r\n\r\n"));
            await r.DribbleAsync(Encoding.ASCII.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult>" + new string(' ', 99_000)), Drip);
        }),

        // Every page says more follow, with a fresh token and three new keys (another engineer's guard catches repeated tokens).
        "endless-listing" => HostileS3Server.Start(r =>
        {
            string page = Guid.NewGuid().ToString("N");
            return r.IsList
                ? r.RespondListAsync([Listed($"run/{page}-1"), Listed($"run/{page}-2"), Listed($"run/{page}-3")], isTruncated: true, nextToken: page)
                : r.RespondErrorAsync(500, "InternalError");
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown stalling server"),
    };

    /// <summary>The pattern of the one line that says which misbehaviour it was.</summary>
    public static Regex Message(string kind, HostileS3Server server)
    {
        string at = Regex.Escape(server.Endpoint);
        return new Regex(kind switch
        {
            "never-accepting" => $@"no answer from the S3 server at {at} within \d+(\.\d)? s \(connect/request timeout\) on listing",
            "slow-headers" or "slow-body" => $@"the S3 server at {at} sent its answer too slowly: \d+ bytes in \d+(\.\d)? s on listing, and the answer had not ended",
            "endless-listing" => $@"the listing of 's3://{HostileS3Server.Bucket}/run\?[^']*' did not end within the timeout after \d+ pages \(\d+ keys\): the S3 server at {at} kept answering that more pages follow",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown stalling server"),
        });
    }

    private static ListedObject Listed(string key) => ListedObject.Of(key, Encoding.UTF8.GetBytes(key));
}
