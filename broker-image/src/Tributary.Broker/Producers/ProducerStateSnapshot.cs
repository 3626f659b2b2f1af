using Tributary.Protocol.Checksums;
using Tributary.Protocol.Primitives;

namespace Tributary.Broker.Producers;

/// <summary>
/// Compact binary snapshot of a <see cref="PartitionProducerState"/>, written next to a segment so
/// recovery replays only the batches after <c>snapshotOffset</c>.
/// </summary>
/// <remarks>
/// Layout (big-endian): version int16 = 1 | crc32c uint32 of everything after it |
/// snapshotOffset int64 | count int32 | per producer: producerId int64, epoch int16,
/// lastTimestamp int64, batchCount int8, per batch: firstSeq int32, lastSeq int32,
/// firstOffset int64, lastOffsetDelta int32, timestamp int64.
/// All five batches are kept (not only the last, as Kafka does) so duplicates of any in-flight
/// request are still detected after a restart.
/// </remarks>
public static class ProducerStateSnapshot
{
    public const short Version = 1;

    private const int HeaderSize = 2 + 4 + 8 + 4;
    private const int EntrySize = 8 + 2 + 8 + 1;
    private const int BatchSize = 4 + 4 + 8 + 4 + 8;

    public static byte[] Write(PartitionProducerState state, long snapshotOffset)
    {
        ArgumentNullException.ThrowIfNull(state);
        var size = HeaderSize;
        foreach (var e in state.Entries)
        {
            size += EntrySize + (e.Batches.Count * BatchSize);
        }

        var buffer = new byte[size];
        var writer = new KafkaWriter(buffer);
        writer.WriteInt16(Version);
        writer.WriteUInt32(0);
        writer.WriteInt64(snapshotOffset);
        writer.WriteInt32(state.Count);
        foreach (var e in state.Entries)
        {
            writer.WriteInt64(e.ProducerId);
            writer.WriteInt16(e.Epoch);
            writer.WriteInt64(e.LastTimestamp);
            writer.WriteInt8((sbyte)e.Batches.Count);
            foreach (var b in e.Batches)
            {
                writer.WriteInt32(b.FirstSequence);
                writer.WriteInt32(b.LastSequence);
                writer.WriteInt64(b.FirstOffset);
                writer.WriteInt32(checked((int)(b.LastOffset - b.FirstOffset)));
                writer.WriteInt64(b.Timestamp);
            }
        }

        var crc = Crc32C.Compute(buffer.AsSpan(6));
        var crcWriter = new KafkaWriter(buffer.AsSpan(2, 4));
        crcWriter.WriteUInt32(crc);
        return buffer;
    }

    /// <summary>Reads a snapshot back; returns the state and the offset it was taken at.</summary>
    /// <exception cref="ProtocolException">Wrong version, checksum mismatch, or malformed contents.</exception>
    public static (PartitionProducerState State, long SnapshotOffset) Read(ReadOnlyMemory<byte> snapshot)
    {
        var reader = new KafkaReader(snapshot);
        var version = reader.ReadInt16();
        if (version != Version)
        {
            throw new ProtocolException(ProtocolError.UnsupportedVersion, $"producer state snapshot version {version}");
        }

        var crc = reader.ReadUInt32();
        if (Crc32C.Compute(snapshot.Span[6..]) != crc)
        {
            throw new ProtocolException(ProtocolError.CorruptRecord, "producer state snapshot checksum mismatch");
        }

        var snapshotOffset = reader.ReadInt64();
        var count = reader.ReadInt32();
        if (count < 0 || (long)count * EntrySize > reader.Remaining)
        {
            throw new ProtocolException(ProtocolError.InvalidLength, $"producer count {count} does not fit the snapshot");
        }

        var state = new PartitionProducerState();
        for (var i = 0; i < count; i++)
        {
            var producerId = reader.ReadInt64();
            var epoch = reader.ReadInt16();
            var lastTimestamp = reader.ReadInt64();
            var batches = reader.ReadInt8();
            if (batches is < 0 or > ProducerStateEntry.MaxBatches)
            {
                throw new ProtocolException(ProtocolError.InvalidLength, $"batch count {batches} out of range");
            }

            var entry = new ProducerStateEntry(producerId, epoch);
            for (var b = 0; b < batches; b++)
            {
                var firstSeq = reader.ReadInt32();
                var lastSeq = reader.ReadInt32();
                var firstOffset = reader.ReadInt64();
                var delta = reader.ReadInt32();
                var timestamp = reader.ReadInt64();
                if (delta < 0)
                {
                    throw new ProtocolException(ProtocolError.CorruptRecord, "negative offset delta in producer snapshot");
                }

                entry.AddBatch(new BatchMetadata(firstSeq, lastSeq, firstOffset, firstOffset + delta, timestamp));
            }

            entry.Touch(lastTimestamp);
            state.Restore(entry);
        }

        if (!reader.End)
        {
            throw new ProtocolException(ProtocolError.InvalidLength, "trailing bytes after producer state snapshot");
        }

        return (state, snapshotOffset);
    }
}
