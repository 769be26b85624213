using System.Diagnostics;
using System.Security.Cryptography;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using SyncTooling.Storage;
using SyncTooling.Storage.Azure;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Storage.Azure;

/// <summary>Whole syncs against Azurite, compared by the SHA-256 of every file after a round trip.</summary>
[Collection("azurite")]
public sealed class AzureSyncTests(AzuriteServer server) : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly SyncEngine _engine = new(server.Registry);

    public void Dispose() => _temp.Dispose();

    private string NewPrefix() => $"sync/{Guid.NewGuid():N}";

    private async Task<(SyncResult Up, SyncResult Down)> RoundTripAsync(string remote, SyncOptions? options = null, SyncEngine? engine = null)
    {
        engine ??= _engine;
        var up = await engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote), options);
        var down = await engine.SyncAsync(StorageUri.Parse(remote), StorageUri.Parse(_temp.Combine("down")), options);
        return (up, down);
    }

    [Fact]
    public async Task MoreThan5000Blobs_RoundTripByteExact_AcrossListingPages_AndResyncTransfersNothing()
    {
        const int Count = 5_050;
        for (int i = 0; i < Count; i++)
        {
            _temp.Write($"src/d{i % 40}/f{i}.txt", $"file {i} " + new string('x', i % 61));
        }

        string remote = server.Location(NewPrefix());

        var (up, down) = await RoundTripAsync(remote, new SyncOptions { Jobs = 16 });
        var again = await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote));
        var againDown = await _engine.SyncAsync(StorageUri.Parse(remote), StorageUri.Parse(_temp.Combine("down")));

        Assert.Equal(Count, up.Transferred.Count);
        Assert.Equal(Count, down.Transferred.Count);
        Assert.Equal(TempDirectory.Snapshot(_temp.Combine("src")), TempDirectory.Snapshot(_temp.Combine("down")));
        Assert.Empty(again.Transferred);
        Assert.Equal(Count, again.Plan.Unchanged.Count);
        Assert.Empty(againDown.Transferred);
    }

    [Fact]
    public async Task LargeFile_GoesUpAsStagedBlocks_ByteExact_WithItsContentMd5AndMtime()
    {
        string big = _temp.Combine("src", "model.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(big)!);
        byte[] data = RandomNumberGenerator.GetBytes(64 * 1024 * 1024);
        await File.WriteAllBytesAsync(big, data);
        var mtime = new DateTimeOffset(2024, 3, 4, 5, 6, 7, TimeSpan.Zero);
        File.SetLastWriteTimeUtc(big, mtime.UtcDateTime);
        string prefix = NewPrefix();

        var (up, _) = await RoundTripAsync(server.Location(prefix));

        Assert.Equal(data.Length, up.BytesTransferred);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await File.ReadAllBytesAsync(_temp.Combine("down", "model.bin"))));
        var blob = server.ContainerClient.GetBlockBlobClient(prefix + "/model.bin");
        var properties = (await blob.GetPropertiesAsync()).Value;
        Assert.Equal(MD5.HashData(data), properties.ContentHash);
        Assert.Equal("2024-03-04T05:06:07.000000000Z", properties.Metadata[AzureBlobStorage.MtimeMetadataKey]); // rclone's azureblob format
        var blocks = (await blob.GetBlockListAsync(BlockListTypes.Committed)).Value;
        Assert.Equal(64 / 8, blocks.CommittedBlocks.Count());
    }

    [Fact]
    public async Task AwkwardNames_EmptyFiles_DeepNesting_RoundTrip()
    {
        string[] names =
        [
            "space name.txt", "ünïcødé/日本語.txt", "emoji 🎉.txt", "plus+sign.txt", "percent%41.txt", "hash#tag.txt", "question?.txt",
            "semi;colon&amp.txt", "a/b/c/d/e/f/g/h/i/j/deep.txt", "empty.txt", "empty-dir/also-empty.bin", ".hidden",
        ];
        foreach (string name in names)
        {
            _temp.Write("src/" + name, name.Contains("empty", StringComparison.Ordinal) ? string.Empty : "data of " + name);
        }

        string remote = server.Location(NewPrefix());
        var (up, down) = await RoundTripAsync(remote);
        var listing = await _engine.ListAsync(StorageUri.Parse(remote));

        Assert.Equal(names.Length, up.Transferred.Count);
        Assert.Equal(names.Length, down.Transferred.Count);
        Assert.Equal(TempDirectory.Snapshot(_temp.Combine("src")), TempDirectory.Snapshot(_temp.Combine("down")));
        Assert.Equal(names.Order(StringComparer.Ordinal), listing.Select(e => e.Key));
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(Array.Empty<byte>())), listing.Single(e => e.Key == "empty.txt").Md5);
    }

    [Fact]
    public async Task Excludes_ApplyUpAndDown()
    {
        foreach (string f in new[] { "keep.txt", "drop.tmp", "logs/a.log", "sub/keep2.txt" })
        {
            _temp.Write("src/" + f, f);
        }

        var (up, _) = await RoundTripAsync(server.Location(NewPrefix()), new SyncOptions { Exclude = ["*.tmp", "logs/"] });

        Assert.Equal(["keep.txt", "sub/keep2.txt"], up.Transferred);
        Assert.Equal(["keep.txt", "sub/keep2.txt"], TempDirectory.Snapshot(_temp.Combine("down")).Keys);
    }

    [Fact]
    public async Task ChecksumMode_ComparesMd5WithTheListedContentMd5()
    {
        string file = _temp.Write("src/a.txt", "version one");
        string remote = server.Location(NewPrefix());
        await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote));
        File.WriteAllText(file, "version two");
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-1)); // older than the blob: time says "unchanged"

        var byTime = await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote));
        var byHash = await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote), new SyncOptions { Checksum = true });
        var listed = Assert.Single(await _engine.ListAsync(StorageUri.Parse(remote)));

        Assert.Empty(byTime.Transferred);
        Assert.Equal(["a.txt"], byHash.Transferred);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData("version two"u8)), listed.Md5);
    }

    [Fact]
    public async Task EmptyPrefixAsSource_IsNotFound_AndDeleteRemovesNothing()
    {
        _temp.Write("down/precious.txt", "keep me");

        var ex = await Assert.ThrowsAsync<SourceNotFoundException>(() =>
            _engine.SyncAsync(StorageUri.Parse(server.Location(NewPrefix())), StorageUri.Parse(_temp.Combine("down")), new SyncOptions { Delete = true }));

        Assert.Contains("has no files (a missing or mistyped prefix?)", ex.Message, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(_temp.Combine("down", "precious.txt")));
    }

    [Fact]
    public async Task MissingContainer_IsNotFound_NamingTheContainer()
    {
        _temp.Write("down/precious.txt", "keep me");
        string remote = server.Location("x", container: "no-such-container");

        var listing = await Assert.ThrowsAsync<StorageException>(() => _engine.ListAsync(StorageUri.Parse(remote)));
        await Assert.ThrowsAsync<SourceNotFoundException>(() =>
            _engine.SyncAsync(StorageUri.Parse(remote), StorageUri.Parse(_temp.Combine("down")), new SyncOptions { Delete = true }));

        Assert.Equal(StorageErrorKind.NotFound, listing.Kind);
        Assert.Equal("Container 'no-such-container' does not exist in storage account 'devstoreaccount1' (ContainerNotFound): check the container name, the account and the endpoint.", listing.Message);
        Assert.Equal("keep me", File.ReadAllText(_temp.Combine("down", "precious.txt")));
    }

    [Fact]
    public async Task SyncUp_IntoAMissingContainer_FailsAtOnce_NamingTheContainer_AndCreatesNothing()
    {
        _temp.Write("src/a.txt", "a");
        _temp.Write("src/b.txt", "b");

        // Once, before any file: the destination's listing already says the container is not there (was: each file
        // failed on its own with the same message).
        var ex = await Assert.ThrowsAsync<StorageException>(() => _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(server.Location("x", container: "never-created"))));

        Assert.True(ex.ContainerMissing);
        Assert.Equal("Container 'never-created' does not exist in storage account 'devstoreaccount1' (ContainerNotFound): check the container name, the account and the endpoint.", ex.Message);
        Assert.False(await new global::Azure.Storage.Blobs.BlobContainerClient(server.ConnectionString, "never-created").ExistsAsync());
    }

    [Fact]
    public async Task DeleteOfAMissingContainer_IsNotFound_NotAnEmptySuccess()
    {
        var ex = await Assert.ThrowsAsync<StorageException>(() => _engine.DeleteAsync(StorageUri.Parse(server.Location("x", container: "no-such-container"))));

        Assert.Equal(StorageErrorKind.NotFound, ex.Kind);
        Assert.True(ex.ContainerMissing);
    }

    [Fact]
    public async Task Delete_MirrorsAndRemovesTheRemote()
    {
        _temp.Write("src/a.txt", "a");
        _temp.Write("src/b.txt", "b");
        string remote = server.Location(NewPrefix());
        await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote));
        File.Delete(_temp.Combine("src", "b.txt"));

        var mirrored = await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote), new SyncOptions { Delete = true });
        var deletedAll = await _engine.DeleteAsync(StorageUri.Parse(remote));
        var listing = await _engine.ListAsync(StorageUri.Parse(remote));

        Assert.Equal(["b.txt"], mirrored.Deleted);
        Assert.Equal(["a.txt"], deletedAll);
        Assert.Empty(listing);
    }

    [Fact]
    public async Task AccountAndKeyFromTheEnvironment_WithTheAbfssForm_RoundTrip()
    {
        var options = AzuriteServer.WithEnvironment(new() { ["AZURE_STORAGE_ACCOUNT"] = AzuriteServer.Account, ["AZURE_STORAGE_KEY"] = AzuriteServer.AccountKey });
        _temp.Write("src/a.txt", "by key");
        _temp.Write("src/b/c.txt", "by key too");
        string remote = $"abfss://{AzuriteServer.Container}@{AzuriteServer.Account}.dfs.core.windows.net/{NewPrefix()}?endpoint={server.Endpoint}";

        var (up, _) = await RoundTripAsync(remote, engine: new SyncEngine(AzuriteServer.RegistryWith(options)));

        Assert.Equal(2, up.Transferred.Count);
        Assert.Equal(TempDirectory.Snapshot(_temp.Combine("src")), TempDirectory.Snapshot(_temp.Combine("down")));
    }

    [Fact]
    public async Task SasTokenFromTheEnvironment_RoundTrips()
    {
        var sas = server.ContainerClient.GenerateSasUri(BlobContainerSasPermissions.All, DateTimeOffset.UtcNow.AddHours(1));
        var options = AzuriteServer.WithEnvironment(new() { ["AZURE_STORAGE_SAS_TOKEN"] = sas.Query });
        _temp.Write("src/a.txt", "by sas");

        var (up, _) = await RoundTripAsync(server.Location(NewPrefix()), engine: new SyncEngine(AzuriteServer.RegistryWith(options)));

        Assert.Equal(["a.txt"], up.Transferred);
        Assert.Equal(TempDirectory.Snapshot(_temp.Combine("src")), TempDirectory.Snapshot(_temp.Combine("down")));
    }

    [Fact]
    public async Task WrongKey_FailsAtOnceWithOneLine_NotRetried_AndNeverShowsTheKey()
    {
        const string WrongKey = "V3JvbmdLZXlXcm9uZ0tleVdyb25nS2V5V3JvbmdLZXk=";
        var options = AzuriteServer.WithEnvironment(new() { ["AZURE_STORAGE_ACCOUNT"] = AzuriteServer.Account, ["AZURE_STORAGE_KEY"] = WrongKey }) with { Retries = 10 };
        var clock = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<StorageException>(() => new SyncEngine(AzuriteServer.RegistryWith(options)).ListAsync(StorageUri.Parse(server.Location(NewPrefix()))));

        // Ten retries would back off for at least 26 s in total; one request takes well under a second.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}: an auth failure must not be retried");
        Assert.Equal(StorageErrorKind.AccessDenied, ex.Kind);
        // Azure proper answers AuthenticationFailed, Azurite AuthorizationFailure: both name where the credential came from.
        Assert.Matches(@"^Azure refused the credential from AZURE_STORAGE_KEY for container 'synctooling-test' in storage account 'devstoreaccount1' \(403 \w+\): check the key or token, that it belongs to this account, and its permissions on this container\.$", ex.Message);
        Assert.DoesNotContain(WrongKey, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoKeyOrToken_FallsBackToTheTokenCredential_AndItsFailureIsOneLine()
    {
        var options = AzuriteServer.WithEnvironment([]) with { TokenCredential = new UnavailableCredential(), Retries = 0 };
        await using var storage = new AzureBlobStorage(StorageUri.Parse("az://runs/exp?account=acct1"), options);

        var ex = await Assert.ThrowsAsync<StorageException>(async () => await storage.ListAsync().ToListAsync());

        Assert.Equal(StorageErrorKind.AccessDenied, ex.Kind);
        Assert.Equal(
            "No Azure credential for account 'acct1': tried option account_key or sas_token, AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_ACCOUNT + AZURE_STORAGE_KEY, AZURE_STORAGE_SAS_TOKEN and DefaultAzureCredential; DefaultAzureCredential said: no credential here.",
            ex.Message);
    }

    [Fact]
    public async Task RoundTrip_RestoresEverySourceTime_ToTheNanosecond_AndStoresItAsRcloneDoes()
    {
        string[] times = ["1700000000.123456789", "1600000000.000000001", "1500000000.5", "1400000000"];
        for (int i = 0; i < times.Length; i++)
        {
            _temp.Write($"src/d{i}/f{i}.txt", "file " + i);
            FileTimes.Set(_temp.Combine("src", $"d{i}", $"f{i}.txt"), times[i]);
        }

        File.WriteAllBytes(_temp.Combine("src", "big.bin"), RandomNumberGenerator.GetBytes(9 * 1024 * 1024)); // staged blocks, ranged download
        FileTimes.Set(_temp.Combine("src", "big.bin"), "1300000000.987654321");
        string prefix = NewPrefix();

        await RoundTripAsync(server.Location(prefix));
        var again = await _engine.SyncAsync(StorageUri.Parse(server.Location(prefix)), StorageUri.Parse(_temp.Combine("down")));

        Assert.Equal(FileTimes.Snapshot(_temp.Combine("src")), FileTimes.Snapshot(_temp.Combine("down")));
        Assert.Empty(again.Transferred);
        var stored = await server.ContainerClient.GetBlobClient($"{prefix}/d0/f0.txt").GetPropertiesAsync();
        Assert.Equal("2023-11-14T22:13:20.123456789Z", stored.Value.Metadata[AzureBlobStorage.MtimeMetadataKey]);
    }

    [Fact]
    public async Task OurUpload_IsUpToDateForRclone_TimesIncluded_AndRclonesUpload_IsNotReuploaded()
    {
        string[] times = ["1700000000.123456789", "1600000000.000000001", "1500000000.5"];
        for (int i = 0; i < times.Length; i++)
        {
            _temp.Write($"src/d{i}/f{i}.txt", "file " + i);
            FileTimes.Set(_temp.Combine("src", $"d{i}", $"f{i}.txt"), times[i]);
        }

        string ours = NewPrefix();
        string theirs = NewPrefix();
        using var rclone = new InteropTools(null);
        var sas = server.ContainerClient.GenerateSasUri(BlobContainerSasPermissions.All, DateTimeOffset.UtcNow.AddHours(1));
        var remote = new Dictionary<string, string> { ["RCLONE_CONFIG_AZ_TYPE"] = "azureblob", ["RCLONE_CONFIG_AZ_SAS_URL"] = sas.AbsoluteUri };

        await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(server.Location(ours)));
        var rcloneSeesOurs = await rclone.RcloneAsync(remote, "sync", _temp.Combine("src"), $"az:{AzuriteServer.Container}/{ours}", "--dry-run", "-v");
        var rcloneUpload = await rclone.RcloneAsync(remote, "copy", _temp.Combine("src"), $"az:{AzuriteServer.Container}/{theirs}");
        var oursOverTheirs = await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(server.Location(theirs)));
        await _engine.SyncAsync(StorageUri.Parse(server.Location(theirs)), StorageUri.Parse(_temp.Combine("down")));

        Assert.True(rcloneSeesOurs.ExitCode == 0, rcloneSeesOurs.Output);
        Assert.Contains("There was nothing to transfer", rcloneSeesOurs.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Skipped", rcloneSeesOurs.Output, StringComparison.Ordinal); // no time to set: rclone read ours
        Assert.True(rcloneUpload.ExitCode == 0, rcloneUpload.Output);
        Assert.Empty(oursOverTheirs.Transferred);
        Assert.Equal(FileTimes.Snapshot(_temp.Combine("src")), FileTimes.Snapshot(_temp.Combine("down")));
    }

    [Theory]
    [InlineData("1700000000.123", "1700000000.1230000000")] // what versions before rclone's format wrote
    [InlineData("2023-11-14T22:13:20.5Z", "1700000000.5000000000")] // rclone: RFC 3339, any fraction
    [InlineData("2023-11-14T23:13:20.000000007+01:00", "1700000000.0000000070")]
    public async Task ABlobWithAStoredTime_InEitherFormat_IsDownloadedWithThatTime(string stored, string expected)
    {
        string prefix = NewPrefix();
        await server.ContainerClient.GetBlobClient($"{prefix}/a.txt").UploadAsync(
            BinaryData.FromString("from rclone"),
            new BlobUploadOptions { Metadata = new Dictionary<string, string> { [AzureBlobStorage.MtimeMetadataKey] = stored } });

        await _engine.SyncAsync(StorageUri.Parse(server.Location(prefix)), StorageUri.Parse(_temp.Combine("down")));

        Assert.Equal(expected, FileTimes.Snapshot(_temp.Combine("down"))["a.txt"]);
    }

    [Theory]
    [InlineData("az://synctooling-test/run?endpoint=http://127.0.0.1:1/devstoreaccount1", "names the endpoint http://127.0.0.1:1/devstoreaccount1, but AZURE_STORAGE_CONNECTION_STRING is for http://127.0.0.1:10000/devstoreaccount1: nothing was sent.")]
    [InlineData("az://synctooling-test/run?account=someoneelse", "names the storage account 'someoneelse', but AZURE_STORAGE_CONNECTION_STRING is for account 'devstoreaccount1': nothing was sent.")]
    [InlineData("abfss://synctooling-test@someoneelse.dfs.core.windows.net/run", "names the endpoint https://someoneelse.blob.core.windows.net, but AZURE_STORAGE_CONNECTION_STRING is for http://127.0.0.1:10000/devstoreaccount1: nothing was sent.")]
    [InlineData("abfss://synctooling-test@devstoreaccount1.dfs.core.usgovcloudapi.net/run", "names the endpoint https://devstoreaccount1.blob.core.usgovcloudapi.net, but AZURE_STORAGE_CONNECTION_STRING is for http://127.0.0.1:10000/devstoreaccount1: nothing was sent.")]
    [InlineData("az://synctooling-test@devstoreaccount1.blob.core.windows.net/run", "names the endpoint https://devstoreaccount1.blob.core.windows.net, but AZURE_STORAGE_CONNECTION_STRING is for http://127.0.0.1:10000/devstoreaccount1: nothing was sent.")]
    public void AConnectionString_ForAnotherEndpointOrAccount_ThanTheLocationNames_IsRefused_BeforeAnyRequest(string location, string says)
    {
        const string ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AzuriteServer.AccountKey + ";BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";
        var options = AzuriteServer.WithEnvironment(new() { ["AZURE_STORAGE_CONNECTION_STRING"] = ConnectionString });

        var ex = Assert.Throws<StorageException>(() => new AzureBlobStorage(StorageUri.Parse(location), options));

        Assert.Equal(StorageErrorKind.AccessDenied, ex.Kind);
        Assert.Contains(says, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteServer.AccountKey, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("az://synctooling-test/run?endpoint=http://127.0.0.1:1/devstoreaccount1", false)]
    [InlineData("az://synctooling-test/run?endpoint=http://127.0.0.1:10000/devstoreaccount1", true)]
    public void ASasConnectionString_IsComparedWithoutItsToken_AndTheTokenIsNeverShown(string location, bool used)
    {
        const string Token = "sv=2023-11-03&ss=b&srt=sco&sp=rwdlac&se=2030-01-01T00:00:00Z&sig=TopSecretSignature%3D";
        var options = AzuriteServer.WithEnvironment(new() { ["AZURE_STORAGE_CONNECTION_STRING"] = "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;SharedAccessSignature=" + Token });

        var ex = Record.Exception(() => new AzureBlobStorage(StorageUri.Parse(location), options));

        Assert.Equal(used, ex is null);
        Assert.DoesNotContain("TopSecretSignature", ex?.Message ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", ex?.Message ?? string.Empty, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("az://synctooling-test/run?endpoint=http://127.0.0.1:10000/devstoreaccount1/")]
    [InlineData("az://synctooling-test/run?account=devstoreaccount1&endpoint=http://127.0.0.1:10000/devstoreaccount1")]
    public void AConnectionString_ForTheEndpointAndAccountTheLocationNames_IsUsed(string location)
    {
        const string ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AzuriteServer.AccountKey + ";BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";
        var options = AzuriteServer.WithEnvironment(new() { ["AZURE_STORAGE_CONNECTION_STRING"] = ConnectionString });

        var storage = new AzureBlobStorage(StorageUri.Parse(location), options);

        Assert.NotNull(storage);
    }

    [Fact]
    public void NoAccountAndNoCredentials_FailWithOneLine_NamingWhatWasTried()
    {
        var options = AzuriteServer.WithEnvironment([]);

        var ex = Assert.Throws<StorageException>(() => new AzureBlobStorage(StorageUri.Parse("az://runs/exp"), options));

        Assert.Equal(StorageErrorKind.AccessDenied, ex.Kind);
        Assert.Equal(
            "No Azure storage account for 'az://runs/exp': name it in the location (?account=NAME, or abfss://container@NAME.dfs.core.windows.net) or in AZURE_STORAGE_ACCOUNT, or set AZURE_STORAGE_CONNECTION_STRING (tried option account_key or sas_token, AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_ACCOUNT + AZURE_STORAGE_KEY, AZURE_STORAGE_SAS_TOKEN and DefaultAzureCredential).",
            ex.Message);
    }

    /// <summary>Stands in for DefaultAzureCredential on a machine with no identity: fails without any network.</summary>
    private sealed class UnavailableCredential : global::Azure.Core.TokenCredential
    {
        public override global::Azure.Core.AccessToken GetToken(global::Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new global::Azure.Identity.CredentialUnavailableException("no credential here.\nsecond line of details");

        public override ValueTask<global::Azure.Core.AccessToken> GetTokenAsync(global::Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new global::Azure.Identity.CredentialUnavailableException("no credential here.\nsecond line of details");
    }
}
