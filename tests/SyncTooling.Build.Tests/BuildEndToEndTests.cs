using System.Security;
using System.Security.Cryptography;
using System.Text;
using SyncTooling.Build.Tests.Infrastructure;
using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Build.Tests;

/// <summary>Real `dotnet build` / `dotnet publish` of a consumer project that references the packed SyncTooling.Build.</summary>
[Collection("dotnet build")]
public sealed class BuildEndToEndTests(PackedBuildPackage package, S3Server s3)
{
    private const string UploadTarget = """
          <Target Name="Upload" AfterTargets="Build">
            <SyncUp LocalDir="payload" RemoteDir="$(Remote)" Exclude="*.tmp;cache/">
              <Output TaskParameter="TransferredCount" PropertyName="Uploaded" />
            </SyncUp>
            <Message Importance="high" Text="UPLOADED=$(Uploaded)" />
          </Target>
        """;

    [Fact]
    public async Task SyncUpInABuild_UploadsTheTree_AndARebuildUploadsNothing()
    {
        using var remote = new TempDirectory();
        using var consumer = package.CreateConsumer(Property("Remote", remote.Path) + UploadTarget);
        WritePayload(consumer);

        var first = await consumer.DotnetAsync("build");
        var second = await consumer.DotnetAsync("build");

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains($"SyncUp {consumer.Combine("payload")} -> {remote.Path}: 2 transferred (19 bytes), 0 deleted, 0 unchanged, 0 failed in ", first.Output, StringComparison.Ordinal);
        Assert.Contains("UPLOADED=2", first.Output, StringComparison.Ordinal);
        Assert.Equal(ExpectedUpload, TempDirectory.Snapshot(remote.Path));
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains(": 0 transferred (0 bytes), 0 deleted, 2 unchanged, 0 failed in ", second.Output, StringComparison.Ordinal);
        Assert.Contains("UPLOADED=0", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncUpInABuild_WithARelativeRemoteDir_FailsWithSync001_AndUploadsNothing()
    {
        using var consumer = package.CreateConsumer(Property("Remote", "uploads/here") + UploadTarget);
        WritePayload(consumer);

        var build = await consumer.DotnetAsync("build");

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("error SYNC001: RemoteDir: 'uploads/here' is a relative path", build.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("UPLOADED=", build.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(consumer.Combine("uploads")));
    }

    [Fact]
    public async Task SyncDownBeforeBuild_FetchesAFolder_ThatTheBuildCopiesToBin()
    {
        using var remote = new TempDirectory();
        remote.Write("model.txt", "weights v3");
        remote.Write("nested/labels.txt", "cat,dog");
        using var consumer = package.CreateConsumer(
            Property("SyncDownBeforeBuild", "true") + Property("SyncDownRemoteDir", remote.Path) + Property("SyncDownLocalDir", "models") + """
              <Target Name="ShipModels" AfterTargets="SyncDownBeforeBuild">
                <ItemGroup>
                  <Content Include="models/**" CopyToOutputDirectory="PreserveNewest" />
                </ItemGroup>
              </Target>
            """);

        var build = await consumer.DotnetAsync("build");

        Assert.True(build.ExitCode == 0, build.Output);
        Assert.True(build.Output.Contains($"SyncDown {remote.Path} -> {consumer.Combine("models")}: 2 transferred (17 bytes)", StringComparison.Ordinal), build.Output);
        Assert.Equal("weights v3", File.ReadAllText(consumer.Combine("bin", "Debug", "net10.0", "models", "model.txt")));
        Assert.Equal("cat,dog", File.ReadAllText(consumer.Combine("bin", "Debug", "net10.0", "models", "nested", "labels.txt")));
    }

    [Fact]
    public async Task SyncDownBeforeBuild_ShowsItsLineAtMinimalVerbosity_AndADesignTimeBuildSyncsNothing()
    {
        using var remote = new TempDirectory();
        remote.Write("model.txt", "weights v3");
        using var consumer = package.CreateConsumer(
            Property("SyncDownBeforeBuild", "true") + Property("SyncDownRemoteDir", remote.Path) + Property("SyncDownLocalDir", "models"));

        var designTime = await consumer.DotnetAsync("build", null, "-p:DesignTimeBuild=true", "-v:m");
        bool fetchedAtDesignTime = Directory.Exists(consumer.Combine("models"));
        var build = await consumer.DotnetAsync("build", null, "-v:m");

        Assert.True(designTime.ExitCode == 0, designTime.Output);
        Assert.False(fetchedAtDesignTime);
        Assert.DoesNotContain("SyncDown ", designTime.Output, StringComparison.Ordinal);
        Assert.True(build.ExitCode == 0, build.Output);
        Assert.True(build.Output.Contains($"SyncDown {remote.Path} -> {consumer.Combine("models")}: 1 transferred (10 bytes)", StringComparison.Ordinal), build.Output);
        Assert.Equal("weights v3", File.ReadAllText(consumer.Combine("models", "model.txt")));
    }

    [Fact]
    public async Task SyncDownBeforeBuild_PassesAllowEmptySource_SoAnEmptyRemoteFolderMayEmptyTheLocalOne()
    {
        using var remote = new TempDirectory();
        using var consumer = package.CreateConsumer(
            Property("SyncDownBeforeBuild", "true") + Property("SyncDownRemoteDir", remote.Path) + Property("SyncDownLocalDir", "models")
            + Property("SyncDownDelete", "true") + Property("SyncDownAllowEmptySource", "true"));
        consumer.Write("models/stale.txt", "old weights");

        var build = await consumer.DotnetAsync("build");

        Assert.True(build.ExitCode == 0, build.Output);
        Assert.DoesNotContain("SYNCB006", build.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(consumer.Combine("models", "stale.txt")));
    }

    [Fact]
    public async Task SyncUpOnPublish_UploadsThePublishOutput()
    {
        using var remote = new TempDirectory();
        using var consumer = package.CreateConsumer(Property("SyncUpOnPublish", "true") + Property("SyncUploadDir", remote.Path));

        var publish = await consumer.DotnetAsync("publish", null, "-o", "out");

        Assert.True(publish.ExitCode == 0, publish.Output);
        var published = TempDirectory.Snapshot(consumer.Combine("out"));
        Assert.Contains("Consumer.dll", published.Keys);
        Assert.Equal(published, TempDirectory.Snapshot(remote.Path));
    }

    [Fact]
    public async Task SyncUpInABuild_ToS3_UploadsTheTree()
    {
        string location = s3.Location($"build-e2e/{Guid.NewGuid():N}");
        using var consumer = package.CreateConsumer(Property("Remote", location) + UploadTarget);
        WritePayload(consumer);
        var credentials = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = S3Server.AccessKey, ["AWS_SECRET_ACCESS_KEY"] = S3Server.SecretKey };

        var build = await consumer.DotnetAsync("build", credentials);

        Assert.True(build.ExitCode == 0, build.Output);
        Assert.Contains("UPLOADED=2", build.Output, StringComparison.Ordinal);
        Assert.Equal(ExpectedUpload, await SnapshotAsync(s3.Registry, location));
    }

    [Fact]
    public async Task OutsideTheDotnetSdksMSBuild_TheBuildFailsWithSyncb011()
    {
        using var consumer = package.CreateConsumer(string.Empty);

        // The real trigger is Visual Studio's .NET Framework MSBuild; the props take the runtime type from this property.
        var build = await consumer.DotnetAsync("build", null, "-p:_SyncToolingMSBuildRuntimeType=Full");

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("error SYNCB011: SyncTooling.Build needs the .NET SDK's MSBuild", build.Output, StringComparison.Ordinal);
    }

    private static SortedDictionary<string, string> ExpectedUpload => new(StringComparer.Ordinal)
    {
        ["a.txt"] = Sha256("alpha"),
        ["sub/b.bin"] = Sha256("binary bytes!!"),
    };

    private static void WritePayload(Consumer consumer)
    {
        consumer.Write("payload/a.txt", "alpha");
        consumer.Write("payload/sub/b.bin", "binary bytes!!");
        consumer.Write("payload/scratch.tmp", "excluded by *.tmp");
        consumer.Write("payload/cache/c.txt", "excluded by cache/");
    }

    private static string Property(string name, string value) =>
        $"  <PropertyGroup><{name}>{SecurityElement.Escape(value)}</{name}></PropertyGroup>\n";

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static async Task<SortedDictionary<string, string>> SnapshotAsync(StorageRegistry registry, string location)
    {
        var uri = StorageUri.Parse(location);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var storage = registry.Open(uri);
        await using (storage)
        {
            foreach (var entry in await new SyncEngine(registry).ListAsync(uri))
            {
                await using var stream = await storage.OpenReadAsync(entry.Key);
                result[entry.Key] = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream));
            }
        }

        return result;
    }
}
