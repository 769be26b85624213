using System.IO.Compression;
using System.Xml.Linq;
using SyncTooling.Build.Tests.Infrastructure;

namespace SyncTooling.Build.Tests;

/// <summary>What the packed packages hold, read straight from the .nupkg files.</summary>
[Collection("dotnet build")]
public sealed class PackageLayoutTests(PackedBuildPackage package)
{
    [Fact]
    public void BuildPackage_CarriesTheTaskBesideItsDependencies_AndNothingOfMSBuild()
    {
        using var zip = ZipFile.OpenRead(package.PackagePath("SyncTooling.Build"));
        var entries = zip.Entries.Select(e => e.FullName).Where(n => !n.StartsWith('_') && !n.StartsWith("package/", StringComparison.Ordinal) && n != "[Content_Types].xml").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(
            [
                "README.md",
                "SyncTooling.Build.nuspec",
                "build/SyncTooling.Build.props",
                "build/SyncTooling.Build.targets",
                "buildTransitive/SyncTooling.Build.props",
                "buildTransitive/SyncTooling.Build.targets",
                "tasks/net10.0/AWSSDK.Core.dll",
                "tasks/net10.0/AWSSDK.Extensions.Numerics.dll",
                "tasks/net10.0/AWSSDK.S3.dll",
                "tasks/net10.0/AWSSDK.SSO.dll",
                "tasks/net10.0/AWSSDK.SSOOIDC.dll",
                "tasks/net10.0/AWSSDK.SecurityToken.dll",
                "tasks/net10.0/Apache.Arrow.dll",
                "tasks/net10.0/Azure.Core.dll",
                "tasks/net10.0/Azure.Identity.dll",
                "tasks/net10.0/Azure.Storage.Blobs.dll",
                "tasks/net10.0/Azure.Storage.Common.dll",
                "tasks/net10.0/Microsoft.Bcl.AsyncInterfaces.dll",
                "tasks/net10.0/Microsoft.Extensions.Configuration.Abstractions.dll",
                "tasks/net10.0/Microsoft.Extensions.DependencyInjection.Abstractions.dll",
                "tasks/net10.0/Microsoft.Extensions.Diagnostics.Abstractions.dll",
                "tasks/net10.0/Microsoft.Extensions.FileProviders.Abstractions.dll",
                "tasks/net10.0/Microsoft.Extensions.Hosting.Abstractions.dll",
                "tasks/net10.0/Microsoft.Extensions.Logging.Abstractions.dll",
                "tasks/net10.0/Microsoft.Extensions.Options.dll",
                "tasks/net10.0/Microsoft.Extensions.Primitives.dll",
                "tasks/net10.0/Microsoft.Identity.Client.Extensions.Msal.dll",
                "tasks/net10.0/Microsoft.Identity.Client.dll",
                "tasks/net10.0/Microsoft.IdentityModel.Abstractions.dll",
                "tasks/net10.0/SyncTooling.Build.dll",
                "tasks/net10.0/SyncTooling.dll",
                "tasks/net10.0/System.ClientModel.dll",
                "tasks/net10.0/System.IO.Hashing.dll",
                "tasks/net10.0/System.Memory.Data.dll",
                "tasks/net10.0/System.Security.Cryptography.ProtectedData.dll",
                "tasks/net10.0/runtimes/win/lib/net7.0/System.Security.Cryptography.ProtectedData.dll",
            ],
            entries);
    }

    [Fact]
    public void BuildPackage_IsADevelopmentDependency_WithoutNuGetDependencies()
    {
        var metadata = Nuspec("SyncTooling.Build");

        Assert.Equal("true", Value(metadata, "developmentDependency"));
        Assert.DoesNotContain(metadata.Elements(), e => e.Name.LocalName == "dependencies");
        Assert.Equal("README.md", Value(metadata, "readme"));
        Assert.Equal("Apache-2.0", Value(metadata, "license"));
        Assert.Contains("$(PublishDir)", Value(metadata, "description"), StringComparison.Ordinal);
    }

    [Fact]
    public void CorePackage_HasItsReadmeAndMetadata()
    {
        var metadata = Nuspec("SyncTooling");
        using var zip = ZipFile.OpenRead(package.PackagePath("SyncTooling"));
        using var readme = new StreamReader(zip.GetEntry("README.md")!.Open());

        Assert.StartsWith("# SyncTooling\n", readme.ReadToEnd(), StringComparison.Ordinal);
        Assert.Equal("README.md", Value(metadata, "readme"));
        Assert.Equal("Apache-2.0", Value(metadata, "license"));
        Assert.Equal("SyncTooling contributors", Value(metadata, "authors"));
        Assert.Contains("synctooling", Value(metadata, "tags").Split(' '));
        Assert.NotNull(zip.GetEntry("lib/net10.0/SyncTooling.dll"));
    }

    private XElement Nuspec(string id)
    {
        using var zip = ZipFile.OpenRead(package.PackagePath(id));
        using var stream = zip.GetEntry(id + ".nuspec")!.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string Value(XElement metadata, string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
}
