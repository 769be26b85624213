using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Amazon.S3.Model;
using SyncTooling.Storage;
using SyncTooling.Sync;
using SyncTooling.Tests.Infrastructure;

namespace SyncTooling.Tests.Storage.S3;

public abstract partial class S3SyncTests
{
    /// <summary>The shared sync tests on Ceph RGW, plus what only a production server shows: AWS-style multipart ETags, exact deletes.</summary>
    [Collection("ceph-rgw")]
    public sealed partial class OnCephRgw(CephRgw rgw) : S3SyncTests(rgw)
    {
        [Fact]
        public async Task MultipartUpload_HasAnAwsStyleETag_AndAChecksumResyncTransfersOnlyARealChange()
        {
            string file = _temp.Combine("src", "model.bin");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            byte[] data = RandomNumberGenerator.GetBytes(20 * 1024 * 1024);
            await File.WriteAllBytesAsync(file, data);
            string remote = NewRemote();
            var checksum = new SyncOptions { Checksum = true };

            var up = await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote), checksum);
            using var client = Server.CreateClient();
            var head = await client.GetObjectMetadataAsync(IS3TestServer.DefaultBucket, StorageUri.Parse(remote).Path + "/model.bin");
            var again = await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote), checksum);
            data[12345] ^= 0xFF; // same size, and an older time: only the checksum can tell
            await File.WriteAllBytesAsync(file, data);
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-1));
            var changed = await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote), checksum);

            Assert.Equal(["model.bin"], up.Transferred);
            Assert.Matches(MultipartETag(), head.ETag); // MD5 of the 3 part MD5s, "-3": not the content's MD5
            Assert.Empty(again.Transferred);
            Assert.Equal(["model.bin"], again.Plan.Unchanged.Select(e => e.Key));
            Assert.Equal(["model.bin"], changed.Transferred);
        }

        [Fact]
        public async Task DeleteSync_AndDeleteAll_LeaveExactlyWhatTheyShould()
        {
            foreach (string f in new[] { "a.txt", "b.txt", "sub/c.txt", "sub/d.txt", "keep.tmp" })
            {
                _temp.Write("src/" + f, f);
            }

            string root = $"sync/{Guid.NewGuid():N}";
            string remote = Server.Location(root + "/run");
            await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote));
            using var client = Server.CreateClient();
            foreach (string planted in new[] { "run/marker/", "run-other/x.txt", "runx.txt" })
            {
                await client.PutObjectAsync(new PutObjectRequest { BucketName = IS3TestServer.DefaultBucket, Key = $"{root}/{planted}", ContentBody = "planted" });
            }

            File.Delete(_temp.Combine("src", "b.txt"));
            File.Delete(_temp.Combine("src", "sub", "d.txt"));
            File.Delete(_temp.Combine("src", "keep.tmp"));

            var mirrored = await _engine.SyncAsync(StorageUri.Parse(_temp.Combine("src")), StorageUri.Parse(remote), new SyncOptions { Delete = true, Exclude = ["*.tmp"] });
            var afterMirror = await KeysAsync(client, root);
            var deletedAll = await _engine.DeleteAsync(StorageUri.Parse(remote));
            var afterDeleteAll = await KeysAsync(client, root);

            Assert.Equal(["b.txt", "sub/d.txt"], mirrored.Deleted);
            Assert.Equal(["run-other/x.txt", "run/a.txt", "run/keep.tmp", "run/marker/", "run/sub/c.txt", "runx.txt"], afterMirror);
            Assert.Equal(["a.txt", "keep.tmp", "marker/", "sub/c.txt"], deletedAll.Order(StringComparer.Ordinal));
            Assert.Equal(["run-other/x.txt", "runx.txt"], afterDeleteAll);
        }

        /// <summary>Every key below <paramref name="root"/>/, relative to it, read with the raw SDK.</summary>
        private static async Task<List<string>> KeysAsync(Amazon.S3.AmazonS3Client client, string root)
        {
            var response = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = IS3TestServer.DefaultBucket, Prefix = root + "/" });
            return (response.S3Objects ?? []).Select(o => o.Key[(root.Length + 1)..]).Order(StringComparer.Ordinal).ToList();
        }

        [GeneratedRegex("^\"[0-9a-f]{32}-3\"$")]
        private static partial Regex MultipartETag();
    }
}
