using Amazon.Runtime;
using CsCheck;
using SyncTooling.Storage;
using SyncTooling.Storage.Azure;
using SyncTooling.Storage.S3;
using SyncTooling.Validation;

namespace SyncTooling.Tests.Fuzz;

/// <summary>
/// Any string given as a location (StorageUri, the grammar, SyncRules): parsing returns a location or a
/// FormatException with one line naming the supported forms, never another exception, never a hang; a parsed
/// location round-trips through its canonical form, its backend can build its URLs, and secrets never show.
/// </summary>
public sealed class LocationFuzzTests
{
    private const string Secret = "Zq9Secret";

    public static TheoryData<string> CorpusFiles => Corpus.Files("location");

    [Fact]
    public void BoundedPass_EveryLocationParsesOrFailsWithOneLine() =>
        FuzzPass.Run(FuzzInputs.Location, Check, FuzzPass.Escape);

    [Fact]
    public void BoundedPass_SecretsInAnySpelling_AreNeverShown() =>
        FuzzPass.Run(WithSecret, CheckSecretHidden, FuzzPass.Escape);

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Corpus_EveryLocationParsesOrFailsWithOneLine(string file)
    {
        string input = Corpus.Text("location", file);

        Check(input);
        if (input.Contains(Secret, StringComparison.Ordinal))
        {
            CheckSecretHidden(input);
        }
    }

    [Theory]
    [InlineData("s3://bucket/")]
    [InlineData("s3://bucket/p?region=")]
    [InlineData("hdfs://nn:")]
    [InlineData("%")]
    [InlineData("[")]
    public void HugeInputs_ParseInBoundedTime(string prefix)
    {
        string input = prefix + new string('a', 200_000) + "?&=%4#";

        var watch = System.Diagnostics.Stopwatch.StartNew();
        Check(input);

        Assert.True(watch.Elapsed < FuzzPass.PerInput, $"took {watch.Elapsed}");
    }

    internal static void Check(string input)
    {
        bool parsed = StorageUri.TryParse(input, out var uri, out string? error);
        var thrown = Record.Exception(() => StorageUri.Parse(input));

        if (!parsed)
        {
            var formatException = Assert.IsType<FormatException>(thrown);
            Assert.Equal(error, formatException.Message);
            AssertOneLine(error!);
            Assert.EndsWith("Supported: " + StorageUriGrammar.SupportedForms + ".", error, StringComparison.Ordinal);
        }
        else
        {
            Assert.Null(thrown);
            Assert.Equal(uri, StorageUri.Parse(uri!.ToUnredactedString()));
            CheckShownForm(uri);
            CheckBackendUrls(uri);
        }

        foreach (var finding in SyncRules.CheckLocation(input, "UploadDir", requireAbsolute: true))
        {
            AssertOneLine(finding.Message);
        }

        _ = StorageUriGrammar.Redact(input);
    }

    private static void CheckShownForm(StorageUri uri)
    {
        if (uri.IsLocal)
        {
            return;
        }

        // What ToString shows is itself a location: the same one, with every secret option "***".
        var shown = StorageUri.Parse(uri.ToString());
        Assert.Equal(uri.Options.Keys.Order(), shown.Options.Keys.Order());
        foreach (var (name, value) in uri.Options)
        {
            Assert.Equal(StorageUriGrammar.SecretOptions.Contains(name) ? "***" : value, shown.GetOption(name));
        }
    }

    private static void CheckBackendUrls(StorageUri uri)
    {
        if (StorageUriGrammar.IsAzureScheme(uri.Scheme))
        {
            // The account from the location, else a stand-in as AZURE_STORAGE_ACCOUNT; no request is made.
            var options = new AzureBlobStorageOptions { Environment = name => name == "AZURE_STORAGE_ACCOUNT" ? "fuzzaccount" : null, TokenCredential = new NoCredential() };
            AzureEndpoint endpoint;
            try
            {
                endpoint = AzureEndpoint.Resolve(uri, options);
            }
            catch (StorageException ex) when (ex.Kind == StorageErrorKind.AccessDenied)
            {
                // A key that is not base64: refused with one line before any request, its value never shown.
                AssertOneLine(ex.Message);
                return;
            }

            Assert.True(endpoint.Client.Uri.Scheme is "http" or "https" && endpoint.Client.Uri.Host.Length > 0, endpoint.Client.Uri.ToString());
            new AzureBlobStorage(uri, options).DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        else if (uri.IsCloud)
        {
            var options = new S3StorageOptions { Environment = _ => null, Credentials = new AnonymousAWSCredentials() };
            string? serviceUrl = S3Endpoint.Resolve(uri, options).ServiceUrl;
            if (serviceUrl is not null)
            {
                Assert.True(Uri.TryCreate(serviceUrl, UriKind.Absolute, out var service) && service.Scheme is "http" or "https" && service.Host.Length > 0, serviceUrl);
            }

            new S3Storage(uri, options).DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        else if (uri.Scheme == "hdfs")
        {
            Assert.True(Uri.TryCreate("http://" + uri.Authority + "/webhdfs/v1/x?op=LISTSTATUS", UriKind.Absolute, out var url) && url.Host.Length > 0 && url.AbsolutePath == "/webhdfs/v1/x", uri.Authority);
        }
    }

    /// <summary>A location whose secret sits in the query under some spelling of a secret (or unknown) option, or in user info.</summary>
    private static Gen<string> WithSecret { get; } =
        Gen.Select(
            FuzzInputs.Location,
            Gen.OneOf<(string Name, string? Tail)>(
                ("?secret_key=", null), ("?secret%5Fkey=", null), ("?%73ecret_key=", null), ("?Secret_Key=", null), ("?SECRET%5fKEY=", null),
                ("?region=x&access_key=", null), ("?region=x#session_token=", null), ("?region=x?secret_key=", null), ("?secret%255Fkey=", null),
                ("?secret_kye=", null), ("?bogus=", null), ("?endpoint_override=http://user:", "@host:9000"), ("?endpoint_override=http%3A%2F%2Fu%3A", "%40host"),
                ("?account_key=", null), ("?Sas%5FToken=", null), ("?sv=2024&sig=", null), ("?connection_string=", null), ("?endpoint=http://user:", "@host:10000/a"),
                (";AccountKey=", ";EndpointSuffix=x"), ("?x=AccountName=a;SharedAccessSignature=", null)),
            Gen.OneOf(Secret, "Zq9%53ecret", Secret + "%4", Secret + "%zz"),
            Gen.OneOf("", "&region=x", "#x", "?x", "&secret_key=" + Secret),
            FuzzInputs.Location,
            (head, option, secret, tail, rest) => head + option.Name + secret + (option.Tail ?? tail) + rest);

    private static void CheckSecretHidden(string input)
    {
        StorageUri.TryParse(input, out var uri, out string? error);
        var shown = new List<string> { StorageUriGrammar.Redact(input) };
        shown.AddRange(SyncRules.CheckLocation(input, "UploadDir", requireAbsolute: true).Select(f => f.Message));
        if (error is not null)
        {
            shown.Add(error);
        }
        else if (!uri!.IsLocal)
        {
            shown.Add(uri.ToString());
        }

        Assert.All(shown, text => Assert.DoesNotContain(Secret, text, StringComparison.Ordinal));
        Assert.All(shown, text => Assert.DoesNotContain("Zq9%53ecret", text, StringComparison.Ordinal));
    }

    private static void AssertOneLine(string message)
    {
        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain('\r', message);
    }

    private sealed class NoCredential : global::Azure.Core.TokenCredential
    {
        public override global::Azure.Core.AccessToken GetToken(global::Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the fuzz pass makes no requests");

        public override ValueTask<global::Azure.Core.AccessToken> GetTokenAsync(global::Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the fuzz pass makes no requests");
    }
}
