using System.Text;
using SyncTooling.Storage;
using SyncTooling.Storage.S3;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Reliability;

/// <summary>The hostile server itself speaks enough S3 for the real SDK, so a hostile case fails for its misbehaviour only.</summary>
public sealed class HostileS3ServerTests
{
    [Fact]
    public async Task AnHonestHandler_ServesListGetAndPut_ToTheRealSdk()
    {
        byte[] content = Encoding.UTF8.GetBytes("hello hostile");
        var stored = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using var server = HostileS3Server.Start(async request =>
        {
            if (request.IsList)
            {
                await request.RespondListAsync([ListedObject.Of("run/a.txt", content)]);
            }
            else if (request.IsGet)
            {
                await request.RespondAsync(200, content, [new("ETag", "\"" + ListedObject.Of("x", content).ETag + "\"")]);
            }
            else if (request.IsPut)
            {
                lock (stored)
                {
                    stored[request.Key] = request.Body;
                }

                await request.RespondAsync(200, headers: [new("ETag", "\"" + ListedObject.Of("x", request.Body).ETag + "\"")]);
            }
            else
            {
                await request.RespondErrorAsync(400, "NotImplemented");
            }
        });

        var storage = new S3Storage(StorageUri.Parse(server.Location("run")), server.Options);
        await using (storage)
        {
            var listed = new List<StorageEntry>();
            await foreach (var entry in storage.ListAsync())
            {
                listed.Add(entry);
            }

            Assert.Equal("a.txt", Assert.Single(listed).Key);
            await using (var read = await storage.OpenReadAsync("a.txt"))
            {
                using var copy = new MemoryStream();
                await read.CopyToAsync(copy);
                Assert.Equal(content, copy.ToArray());
            }

            await storage.WriteAsync("b.txt", new MemoryStream(content), content.Length, DateTimeOffset.UtcNow);
        }

        Assert.Equal(content, stored["run/b.txt"]);
        Assert.Equal(1, server.Count(r => r.IsList));
        Assert.Equal("run/", server.Requests.First(r => r.IsList).Query["prefix"]);
    }

    [Fact]
    public async Task ANeverAcceptingServer_RecordsNothing()
    {
        await using var server = HostileS3Server.NeverAccepting();
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, server.Port);
        Assert.True(client.Connected);
        Assert.Empty(server.Requests);
    }
}
