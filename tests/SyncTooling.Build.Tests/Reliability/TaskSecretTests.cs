using SyncTooling.Build.Tests.Infrastructure;
using SyncTooling.Storage;
using SyncTooling.Storage.File;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Build.Tests.Reliability;

/// <summary>A secret written into RemoteDir never reaches the build log, in any spelling, whichever message quotes it.</summary>
public sealed class TaskSecretTests : IDisposable
{
    private const string Secret = "TopSecretTask123";
    private readonly TempDirectory _temp = new();

    public TaskSecretTests() => _temp.Write("local/a.txt", "alpha");

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Spellings => new()
    {
        "s3://bucket/p?access_key=AK&secret_key=" + Secret,
        "s3://bucket/p?access_key=AK&Secret%5FKey=" + Secret,
        "s3://bucket/p?access_key=AK&%73ecret_key=" + Secret,
        "s3://bucket/p?region=us-east-1#secret_key=" + Secret,
        "s3://bucket/p?endpoint_override=http://user:" + Secret + "@localhost:9000",
        "s3://AKIA:" + Secret + "@bucket/p",
    };

    [Theory]
    [MemberData(nameof(Spellings))]
    public void Sync007_FlagsEverySpelling_AndTheLogNeverShowsTheSecret(string remote)
    {
        var task = new SyncUp { LocalDir = _temp.Combine("local"), RemoteDir = remote };
        var log = TaskHarness.Attach(task);
        task.Registry = Registry(_ => throw new StorageException(StorageErrorKind.Permanent, "denied"));

        task.Execute();

        Assert.Contains(log.Log, line => line.StartsWith("warning SYNC007: RemoteDir '", StringComparison.Ordinal));
        Assert.All(log.Log, line => Assert.DoesNotContain(Secret, line, StringComparison.Ordinal));
    }

    [Fact]
    public void SecretQuotedByAnExceptionMessage_IsMaskedInTheError()
    {
        var task = new SyncUp { LocalDir = _temp.Combine("local"), RemoteDir = "s3://bucket/p?access_key=AKIDX&Secret%5FKey=" + Secret };
        var log = TaskHarness.Attach(task);

        // A backend that quotes the location it was given, secret and all, as a careless library might.
        task.Registry = Registry(uri => throw new StorageException(StorageErrorKind.Permanent, "cannot open " + uri.ToUnredactedString()));

        bool ok = task.Execute();

        Assert.False(ok);
        Assert.Contains("error SYNCB007: Storage error, nothing was changed: cannot open s3://bucket/p?access_key=***&secret_key=***", log.Log);
        Assert.All(log.Log, line => Assert.DoesNotContain(Secret, line, StringComparison.Ordinal));
    }

    private static StorageRegistry Registry(Func<StorageUri, IStorage> s3) =>
        new StorageRegistry().Register("file", uri => new FileStorage(uri)).Register("s3", s3);
}
