using SyncTooling.Storage;

namespace SyncTooling.Sync.Planning;

/// <summary>A listing broke <see cref="KeyOrder"/>: the merge stops and plans again with that side sorted.</summary>
internal sealed class ListingOutOfOrderException(bool isSource, StorageUri location, string key, string previous)
    : Exception($"'{location}' listed '{StorageKey.Printable(key)}' after '{StorageKey.Printable(previous)}', out of key order (UTF-8 byte order)")
{
    public bool IsSource => isSource;

    public StorageUri Location => location;
}
