using Tributary.Protocol.Checksums;
using Tributary.Protocol.Records;

namespace Tributary.Storage;

/// <summary>Full validation of stored batches (recovery): header structure, size and CRC32C.</summary>
internal static class BatchValidator
{
    /// <summary>Null when <paramref name="batch"/> (exactly one whole batch) is valid, else the reason.</summary>
    public static string? Validate(ReadOnlySpan<byte> batch)
    {
        if (batch.Length < RecordBatchHeader.Size)
        {
            return "batch shorter than its header";
        }

        var info = BatchInfo.Parse(batch, 0);
        if (info.CheckHeader() is { } headerError)
        {
            return headerError;
        }

        if (info.Size != batch.Length)
        {
            return "batch length does not match";
        }

        var crc = Crc32C.Compute(batch[RecordBatchHeader.AttributesOffset..]);
        return crc == RecordBatchHeader.Crc(batch) ? null : "CRC mismatch";
    }

    /// <summary>Recomputes and stores the CRC after a header field it covers was changed.</summary>
    public static void UpdateCrc(Span<byte> batch) =>
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(
            batch[RecordBatchHeader.CrcOffset..],
            Crc32C.Compute(batch[RecordBatchHeader.AttributesOffset..]));
}
