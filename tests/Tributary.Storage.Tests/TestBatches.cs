using System.Buffers.Binary;
using System.Numerics;

namespace Tributary.Storage.Tests;

/// <summary>
/// Builds and decodes v2 record batches independently of the code under test (uncompressed,
/// CRC32C computed with <see cref="BitOperations.Crc32C(uint, byte)"/>).
/// </summary>
public static class TestBatches
{
    public const short TransactionalFlag = 0x10;
    public const short ControlFlag = 0x20;

    /// <summary>A batch whose records are gzip-compressed (attributes codec 1).</summary>
    public static byte[] BuildGzip(IReadOnlyList<TestRecord> records, long producerId = -1, short producerEpoch = -1, int baseSequence = -1)
    {
        var plain = Build(records, producerId: producerId, producerEpoch: producerEpoch, baseSequence: baseSequence);
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(plain.AsSpan(61));
        }

        var batch = new byte[61 + compressed.Length];
        plain.AsSpan(0, 61).CopyTo(batch);
        compressed.ToArray().CopyTo(batch, 61);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(8), batch.Length - 12);
        BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(21), 1);
        BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(17), Crc(batch.AsSpan(21)));
        return batch;
    }

    public static byte[] Build(IReadOnlyList<TestRecord> records, long baseOffset = 0, long producerId = -1, short producerEpoch = -1, int baseSequence = -1, short attributes = 0, int partitionLeaderEpoch = 0)
    {
        var baseTimestamp = records.Count == 0 ? 0 : records.Min(r => r.Timestamp);
        var maxTimestamp = records.Count == 0 ? 0 : records.Max(r => r.Timestamp);
        var body = new List<byte>();
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            var rec = new List<byte> { 0 };
            WriteVarLong(rec, r.Timestamp - baseTimestamp);
            WriteVarLong(rec, i);
            WriteBytes(rec, r.Key);
            WriteBytes(rec, r.Value);
            WriteVarLong(rec, 0);
            WriteVarLong(body, rec.Count);
            body.AddRange(rec);
        }

        var batch = new byte[61 + body.Count];
        BinaryPrimitives.WriteInt64BigEndian(batch, baseOffset);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(8), batch.Length - 12);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(12), partitionLeaderEpoch);
        batch[16] = 2;
        BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(21), attributes);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(23), Math.Max(0, records.Count - 1));
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(27), baseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(35), maxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(43), producerId);
        BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(51), producerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(53), baseSequence);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(57), records.Count);
        body.CopyTo(batch, 61);
        BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(17), Crc(batch.AsSpan(21)));
        return batch;
    }

    /// <summary>A batch of <paramref name="count"/> records "k{i % keys}" = "v{i}" with timestamps from <paramref name="timestamp"/>.</summary>
    public static byte[] Simple(int count, long timestamp = 1_000, string prefix = "v", int keys = int.MaxValue) =>
        Build([.. Enumerable.Range(0, count).Select(i => TestRecord.Of($"k{i % keys}", $"{prefix}{i}", timestamp + i))]);

    /// <summary>A transaction marker (control batch) with the given coordinator epoch; commit when <paramref name="commit"/>.</summary>
    public static byte[] Marker(long producerId, short epoch, bool commit, int coordinatorEpoch, long timestamp)
    {
        var key = new byte[4];
        BinaryPrimitives.WriteInt16BigEndian(key.AsSpan(2), (short)(commit ? 1 : 0));
        var value = new byte[6];
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(2), coordinatorEpoch);
        return Build([new TestRecord(key, value, timestamp)], producerId: producerId, producerEpoch: epoch, attributes: TransactionalFlag | ControlFlag);
    }

    public static byte[] Concat(params byte[][] batches) => [.. batches.SelectMany(b => b)];

    public static uint Crc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }

    /// <summary>Splits bytes into batches, checking every batch's CRC.</summary>
    public static List<byte[]> Split(ReadOnlySpan<byte> bytes)
    {
        var result = new List<byte[]>();
        var p = 0;
        while (p < bytes.Length)
        {
            var size = 12 + BinaryPrimitives.ReadInt32BigEndian(bytes[(p + 8)..]);
            var batch = bytes.Slice(p, size).ToArray();
            Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(batch.AsSpan(17)), Crc(batch.AsSpan(21)));
            result.Add(batch);
            p += size;
        }

        return result;
    }

    public static long BaseOffset(byte[] batch) => BinaryPrimitives.ReadInt64BigEndian(batch);

    public static long LastOffset(byte[] batch) => BaseOffset(batch) + BinaryPrimitives.ReadInt32BigEndian(batch.AsSpan(23));

    /// <summary>Decodes all records of the batches (decompressing them) with their absolute offsets and timestamps.</summary>
    public static List<TestRecord> Records(ReadOnlySpan<byte> bytes)
    {
        var result = new List<TestRecord>();
        foreach (var stored in Split(bytes))
        {
            var batch = Decompressed(stored);
            var baseOffset = BaseOffset(batch);
            var baseTimestamp = BinaryPrimitives.ReadInt64BigEndian(batch.AsSpan(27));
            var count = BinaryPrimitives.ReadInt32BigEndian(batch.AsSpan(57));
            var p = 61;
            for (var i = 0; i < count; i++)
            {
                var length = (int)ReadVarLong(batch, ref p);
                var end = p + length;
                p++; // attributes
                var ts = ReadVarLong(batch, ref p);
                var delta = ReadVarLong(batch, ref p);
                var key = ReadBytes(batch, ref p);
                var value = ReadBytes(batch, ref p);
                p = end;
                result.Add(new TestRecord(key, value, baseTimestamp + ts, baseOffset + delta));
            }
        }

        return result;
    }

    /// <summary>
    /// The batch with its records decompressed (header kept); uncompressed batches as they are.
    /// Gzip is inflated independently of the code under test; the other codecs need
    /// Tributary.Protocol's (native) codecs.
    /// </summary>
    private static byte[] Decompressed(byte[] batch)
    {
        var codec = BinaryPrimitives.ReadInt16BigEndian(batch.AsSpan(21)) & 7;
        if (codec == 0)
        {
            return batch;
        }

        using var output = new MemoryStream();
        output.Write(batch, 0, 61);
        if (codec == 1)
        {
            using var input = new MemoryStream(batch, 61, batch.Length - 61);
            using var gzip = new System.IO.Compression.GZipStream(input, System.IO.Compression.CompressionMode.Decompress);
            gzip.CopyTo(output);
            return output.ToArray();
        }

        var records = new System.Buffers.ArrayBufferWriter<byte>();
        Tributary.Protocol.Compression.CompressionCodecs.Get((Tributary.Protocol.Records.CompressionType)codec).Decompress(batch.AsSpan(61), records, 1 << 24);
        output.Write(records.WrittenSpan);
        return output.ToArray();
    }

    private static void WriteBytes(List<byte> into, byte[]? bytes)
    {
        if (bytes is null)
        {
            WriteVarLong(into, -1);
            return;
        }

        WriteVarLong(into, bytes.Length);
        into.AddRange(bytes);
    }

    private static void WriteVarLong(List<byte> into, long value)
    {
        var v = (ulong)((value << 1) ^ (value >> 63));
        while (v >= 0x80)
        {
            into.Add((byte)(v | 0x80));
            v >>= 7;
        }

        into.Add((byte)v);
    }

    private static long ReadVarLong(byte[] data, ref int p)
    {
        ulong v = 0;
        var shift = 0;
        while (true)
        {
            var b = data[p++];
            v |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }

            shift += 7;
        }

        return (long)(v >> 1) ^ -(long)(v & 1);
    }

    private static byte[]? ReadBytes(byte[] data, ref int p)
    {
        var length = (int)ReadVarLong(data, ref p);
        if (length < 0)
        {
            return null;
        }

        var result = data.AsSpan(p, length).ToArray();
        p += length;
        return result;
    }
}
