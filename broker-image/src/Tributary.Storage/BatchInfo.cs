using Tributary.Protocol.Records;

namespace Tributary.Storage;

/// <summary>
/// The header fields of one v2 record batch as stored in a segment, plus its file position.
/// Parsed from the 61 header bytes only; records are never decoded to build it.
/// </summary>
public readonly record struct BatchInfo(
    long Position,
    long BaseOffset,
    int Size,
    int LastOffsetDelta,
    int PartitionLeaderEpoch,
    byte Magic,
    short Attributes,
    long BaseTimestamp,
    long MaxTimestamp,
    long ProducerId,
    short ProducerEpoch,
    int BaseSequence,
    int RecordCount)
{
    public long LastOffset => BaseOffset + LastOffsetDelta;

    public long NextOffset => LastOffset + 1;

    public bool IsControl => RecordBatchHeader.IsControl(Attributes);

    public bool IsTransactional => RecordBatchHeader.IsTransactional(Attributes);

    public CompressionType Compression => RecordBatchHeader.Compression(Attributes);

    /// <summary>Reads the header of the batch that starts <paramref name="header"/> (at least 61 bytes).</summary>
    public static BatchInfo Parse(ReadOnlySpan<byte> header, long position) => new(
        position,
        RecordBatchHeader.BaseOffset(header),
        RecordBatchHeader.TotalSize(header),
        RecordBatchHeader.LastOffsetDelta(header),
        RecordBatchHeader.PartitionLeaderEpoch(header),
        RecordBatchHeader.Magic(header),
        RecordBatchHeader.Attributes(header),
        RecordBatchHeader.BaseTimestamp(header),
        RecordBatchHeader.MaxTimestamp(header),
        RecordBatchHeader.ProducerId(header),
        RecordBatchHeader.ProducerEpoch(header),
        RecordBatchHeader.BaseSequence(header),
        RecordBatchHeader.RecordCount(header));

    /// <summary>
    /// Checks the header's structure (not the CRC): magic 2, a length that covers the header,
    /// non-negative deltas and count. Returns null when sane, else the reason.
    /// </summary>
    public string? CheckHeader()
    {
        if (Magic != RecordBatchHeader.CurrentMagic)
        {
            return $"unsupported magic {Magic}";
        }

        if (Size < RecordBatchHeader.Size)
        {
            return $"batch size {Size} is smaller than the header";
        }

        if (LastOffsetDelta < 0 || RecordCount < 0)
        {
            return "negative last offset delta or record count";
        }

        if (BaseOffset < 0 || BaseOffset > long.MaxValue - LastOffsetDelta - 1)
        {
            return $"base offset {BaseOffset} out of range";
        }

        return null;
    }
}
