using System.Buffers;
using Tributary.Protocol.Checksums;
using Tributary.Protocol.Compression;
using Tributary.Protocol.Primitives;

namespace Tributary.Protocol.Records;

/// <summary>
/// A read-only view of one v2 record batch (header plus records section). Construction checks
/// only that the header is present and the magic is 2; use <see cref="RecordBatchValidator"/>
/// for the full checks (lengths, CRC, counts).
/// </summary>
public readonly ref struct RecordBatch
{
    public RecordBatch(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < RecordBatchHeader.Size)
        {
            throw new ProtocolException(ProtocolError.CorruptRecord, $"record batch of {bytes.Length} bytes is shorter than the {RecordBatchHeader.Size}-byte header");
        }

        if (RecordBatchHeader.Magic(bytes) != RecordBatchHeader.CurrentMagic)
        {
            throw new ProtocolException(ProtocolError.CorruptRecord, $"record batch magic {RecordBatchHeader.Magic(bytes)} is not 2");
        }

        Bytes = bytes;
    }

    /// <summary>The whole batch.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    public long BaseOffset => RecordBatchHeader.BaseOffset(Bytes);

    public long LastOffset => RecordBatchHeader.LastOffset(Bytes);

    public int BatchLength => RecordBatchHeader.BatchLength(Bytes);

    public int PartitionLeaderEpoch => RecordBatchHeader.PartitionLeaderEpoch(Bytes);

    public uint Crc => RecordBatchHeader.Crc(Bytes);

    public short Attributes => RecordBatchHeader.Attributes(Bytes);

    public CompressionType Compression => RecordBatchHeader.Compression(Attributes);

    public bool IsTransactional => RecordBatchHeader.IsTransactional(Attributes);

    public bool IsControl => RecordBatchHeader.IsControl(Attributes);

    public bool IsLogAppendTime => RecordBatchHeader.IsLogAppendTime(Attributes);

    public int LastOffsetDelta => RecordBatchHeader.LastOffsetDelta(Bytes);

    public long BaseTimestamp => RecordBatchHeader.BaseTimestamp(Bytes);

    public long MaxTimestamp => RecordBatchHeader.MaxTimestamp(Bytes);

    public long ProducerId => RecordBatchHeader.ProducerId(Bytes);

    public short ProducerEpoch => RecordBatchHeader.ProducerEpoch(Bytes);

    public int BaseSequence => RecordBatchHeader.BaseSequence(Bytes);

    public int RecordCount => RecordBatchHeader.RecordCount(Bytes);

    /// <summary>The bytes after the header: the records, compressed when <see cref="Compression"/> is not None.</summary>
    public ReadOnlySpan<byte> RecordsSection => Bytes[RecordBatchHeader.Size..];

    /// <summary>True when the stored CRC matches the bytes from attributes to the end.</summary>
    public bool IsCrcValid => Crc32C.Compute(Bytes[RecordBatchHeader.AttributesOffset..]) == Crc;

    /// <summary>
    /// The records of an uncompressed batch. For a compressed batch use
    /// <see cref="DecompressRecords"/> and enumerate the output with <c>new RecordEnumerator(output, RecordCount)</c>.
    /// </summary>
    public RecordEnumerator Records => Compression == CompressionType.None
        ? new RecordEnumerator(RecordsSection, RecordCount)
        : throw new InvalidOperationException($"the batch is {Compression}-compressed; decompress its records first");

    /// <summary>
    /// Writes the uncompressed records section to <paramref name="destination"/> (decompressing
    /// when needed, copying otherwise), at most <paramref name="maxOutputBytes"/> bytes.
    /// </summary>
    public int DecompressRecords(IBufferWriter<byte> destination, int maxOutputBytes)
    {
        var records = RecordsSection;
        if (Compression == CompressionType.None)
        {
            if (records.Length > maxOutputBytes)
            {
                throw new ProtocolException(ProtocolError.CorruptRecord, $"records exceed the limit of {maxOutputBytes} bytes");
            }

            destination.Write(records);
            return records.Length;
        }

        return CompressionCodecs.Get(Compression).Decompress(records, destination, maxOutputBytes);
    }
}
