using SharpFuzz;
using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Validation;

// One input per run, read from stdin by SharpFuzz; an exception other than the documented ones is a crash for AFL.
// Usage: dotnet SyncTooling.Fuzz.dll location|exclude (after instrumenting SyncTooling.dll with `sharpfuzz`).
string target = args.Length > 0 ? args[0] : "location";
Fuzzer.OutOfProcess.Run(stream =>
{
    using var reader = new StreamReader(stream);
    string input = reader.ReadToEnd();
    switch (target)
    {
        case "location":
            if (StorageUri.TryParse(input, out var uri, out _) && !StorageUri.Parse(uri!.ToUnredactedString()).Equals(uri))
            {
                throw new InvalidOperationException("the canonical form does not round-trip");
            }

            _ = uri?.ToString();
            _ = SyncRules.CheckLocation(input, "UploadDir", requireAbsolute: true);
            break;
        case "exclude":
            var matcher = new ExcludeMatcher([input]);
            _ = matcher.IsExcluded("a/b.tmp") | matcher.IsExcluded(input);
            _ = SyncRules.CheckExcludePattern(input);
            break;
        default:
            throw new ArgumentException($"unknown target '{target}'; use location or exclude", nameof(args));
    }
});
