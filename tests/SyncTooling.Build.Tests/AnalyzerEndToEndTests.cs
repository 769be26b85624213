using SyncTooling.Build.Tests.Infrastructure;

namespace SyncTooling.Build.Tests;

/// <summary>The analyzers ride inside the packed SyncTooling package: a consumer gets them from `dotnet build`.</summary>
[Collection("dotnet build")]
public sealed class AnalyzerEndToEndTests(PackedBuildPackage package)
{
    [Fact]
    public async Task ReferencingSyncTooling_ReportsSync001AsAnError_AndSync002AsAWarning()
    {
        using var consumer = package.CreateConsumer($"""
              <ItemGroup>
                <PackageReference Include="SyncTooling" Version="{package.Version}" />
              </ItemGroup>
            """);
        consumer.Write("Configs.cs", """
            using SyncTooling;

            public static class Configs
            {
                public static SyncConfig Bad() => new SyncConfig { UploadDir = "ftp://host/runs" };

                public static SyncConfig NoEffect() => new SyncConfig { UploadDir = "s3://my-bucket/runs", SyncOnCheckpoint = false };
            }
            """);

        var build = await consumer.DotnetAsync("build");

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("Configs.cs(5,68): error SYNC001: UploadDir: 'ftp://host/runs' is not a supported storage location: unknown scheme 'ftp'.", build.Output, StringComparison.Ordinal);
        Assert.Contains("Configs.cs(7,96): warning SYNC002: SyncOnCheckpoint has no effect because UploadDir 's3://my-bucket/runs' is cloud storage", build.Output, StringComparison.Ordinal);
    }
}
