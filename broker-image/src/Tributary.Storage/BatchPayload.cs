using System.Buffers;
using Tributary.Protocol.Compression;
using Tributary.Protocol.Primitives;
using Tributary.Protocol.Records;

namespace Tributary.Storage;

/// <summary>The records of a stored batch as uncompressed bytes, decompressing when needed (off the hot path).</summary>
internal static class BatchPayload
{
    /// <summary>Cap on a decompressed batch, so a corrupt or hostile batch cannot exhaust memory.</summary>
    private const int MaxDecompressedBytes = 256 * 1024 * 1024;

    /// <summary>
    /// The record bytes of <paramref name="batch"/>: a slice for uncompressed batches, otherwise
    /// decompressed into <paramref name="scratch"/>. False when the codec is unavailable or the
    /// compressed data is corrupt; callers then treat the batch as opaque.
    /// </summary>
    public static bool TryGetRecords(ReadOnlySpan<byte> batch, ArrayBufferWriter<byte> scratch, out ReadOnlySpan<byte> records)
    {
        var compression = RecordBatchHeader.Compression(RecordBatchHeader.Attributes(batch));
        if (compression == CompressionType.None)
        {
            records = batch[RecordBatchHeader.Size..];
            return true;
        }

        scratch.ResetWrittenCount();
        try
        {
            CompressionCodecs.Get(compression).Decompress(batch[RecordBatchHeader.Size..], scratch, MaxDecompressedBytes);
        }
        catch (Exception e) when (e is ProtocolException or CompressionUnavailableException)
        {
            records = default;
            return false;
        }

        records = scratch.WrittenSpan;
        return true;
    }
}
