using System.Buffers.Binary;
using System.Text;
using Tributary.Protocol.Checksums;
using Tributary.Protocol.Records;

namespace Tributary.Protocol.Tests.Records;

/// <summary>Batches and byte surgery shared by the record tests.</summary>
internal static class BatchSamples
{
    public const long BaseTimestamp = 1_700_000_000_000;

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Three records: headers, a null key, a null value, and a timestamp earlier than the first.</summary>
    public static byte[] Build(CompressionType compression = CompressionType.None, long baseOffset = 0)
    {
        using var builder = new RecordBatchBuilder
        {
            BaseOffset = baseOffset,
            ProducerId = 4242,
            ProducerEpoch = 3,
            BaseSequence = 17,
            PartitionLeaderEpoch = 9,
            Compression = compression,
        };
        builder.Append(BaseTimestamp, Utf8("alpha"), Utf8("first value"), new RecordHeaderData("h1", Utf8("v1")), new RecordHeaderData("h2", null));
        builder.Append(BaseTimestamp + 250, null, Utf8("no key"));
        builder.Append(BaseTimestamp - 100, Utf8("gamma"), null);
        return builder.ToArray();
    }

    /// <summary>Recomputes the CRC after a test changed a header field.</summary>
    public static byte[] Reseal(byte[] batch)
    {
        BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(RecordBatchHeader.CrcOffset), Crc32C.Compute(batch.AsSpan(RecordBatchHeader.AttributesOffset)));
        return batch;
    }

    public static byte[] WithInt32(byte[] batch, int offset, int value)
    {
        var copy = (byte[])batch.Clone();
        BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(offset), value);
        return copy;
    }

    public static byte[] WithInt16(byte[] batch, int offset, short value)
    {
        var copy = (byte[])batch.Clone();
        BinaryPrimitives.WriteInt16BigEndian(copy.AsSpan(offset), value);
        return copy;
    }
}
