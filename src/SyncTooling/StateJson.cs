using System.Text.Json.Serialization;
using SyncTooling.Storage;
using SyncTooling.Sync;

namespace SyncTooling;

/// <summary>
/// The JSON shapes the library writes into its state folder (download state, partial downloads, upload checkpoints),
/// serialized by generated code rather than by reflection, so the library works trimmed and in Native AOT programs
/// (the `sync` tool is one). Default options: the same JSON the reflection serializer wrote, so older files still read.
/// </summary>
[JsonSerializable(typeof(DownloadState.StateFile))]
[JsonSerializable(typeof(PartialDownloads.Record), TypeInfoPropertyName = "PartialDownload")]
[JsonSerializable(typeof(UploadCheckpoint))]
internal sealed partial class StateJson : JsonSerializerContext;
