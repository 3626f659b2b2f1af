using System.Globalization;
using Tributary.Protocol.Checksums;
using Tributary.Protocol.Primitives;

namespace Tributary.Storage;

/// <summary>
/// Producer state snapshot files, <c>&lt;offset&gt;.snapshot</c> in the partition directory
/// (offset = the log offset the state is complete up to, exclusive). Our own binary layout,
/// big-endian: version int16 (1) | crc32c uint32 over the rest | count int32 | entries:
/// producerId int64, epoch int16, coordinatorEpoch int32, txnFirstOffset int64,
/// lastTimestamp int64, batchCount int32, batches: firstSeq int32, lastSeq int32,
/// lastOffset int64, offsetDelta int32, timestamp int64.
/// </summary>
public static class ProducerStateSnapshot
{
    private const short Version = 1;
    private const int HeaderSize = 2 + 4;
    private const int EntrySize = 8 + 2 + 4 + 8 + 8 + 4;
    private const int BatchSize = 4 + 4 + 8 + 4 + 8;

    public static string PathFor(string directory, long offset) =>
        Path.Combine(directory, SegmentFiles.BaseName(offset) + SegmentFiles.SnapshotExtension);

    public static void Write(string directory, long offset, IEnumerable<ProducerStateEntry> entries)
    {
        var list = entries.ToList();
        var buffer = new byte[HeaderSize + 4 + list.Sum(e => EntrySize + (e.Batches.Count * BatchSize))];
        var writer = new KafkaWriter(buffer);
        writer.WriteInt16(Version);
        writer.WriteUInt32(0); // placeholder for the CRC
        writer.WriteInt32(list.Count);
        foreach (var entry in list)
        {
            writer.WriteInt64(entry.ProducerId);
            writer.WriteInt16(entry.ProducerEpoch);
            writer.WriteInt32(entry.CoordinatorEpoch);
            writer.WriteInt64(entry.CurrentTxnFirstOffset);
            writer.WriteInt64(entry.LastTimestamp);
            writer.WriteInt32(entry.Batches.Count);
            foreach (var batch in entry.Batches)
            {
                writer.WriteInt32(batch.FirstSequence);
                writer.WriteInt32(batch.LastSequence);
                writer.WriteInt64(batch.LastOffset);
                writer.WriteInt32(batch.OffsetDelta);
                writer.WriteInt64(batch.Timestamp);
            }
        }

        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(2), Crc32C.Compute(buffer.AsSpan(HeaderSize)));
        FileIo.WriteAtomically(PathFor(directory, offset), buffer);
    }

    /// <summary>Reads a snapshot; a bad version, CRC or layout raises <see cref="StorageException"/> (CorruptCheckpoint).</summary>
    public static List<ProducerStateEntry> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            var reader = new KafkaReader(bytes);
            if (reader.ReadInt16() != Version)
            {
                throw Corrupt(path, "unsupported version");
            }

            if (reader.ReadUInt32() != Crc32C.Compute(bytes.AsSpan(HeaderSize)))
            {
                throw Corrupt(path, "CRC mismatch");
            }

            var count = reader.ReadInt32();
            if (count < 0 || count > reader.Remaining / EntrySize)
            {
                throw Corrupt(path, "bad entry count");
            }

            var entries = new List<ProducerStateEntry>(count);
            for (var i = 0; i < count; i++)
            {
                var entry = new ProducerStateEntry(reader.ReadInt64(), reader.ReadInt16())
                {
                    CoordinatorEpoch = reader.ReadInt32(),
                    CurrentTxnFirstOffset = reader.ReadInt64(),
                };
                var lastTimestamp = reader.ReadInt64();
                var batches = reader.ReadInt32();
                if (batches < 0 || batches > ProducerStateEntry.MaxBatches)
                {
                    throw Corrupt(path, "bad batch count");
                }

                for (var b = 0; b < batches; b++)
                {
                    entry.AddBatch(new ProducerBatchMetadata(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt64(), reader.ReadInt32(), reader.ReadInt64()));
                }

                entry.LastTimestamp = lastTimestamp;
                entries.Add(entry);
            }

            return reader.End ? entries : throw Corrupt(path, "trailing bytes");
        }
        catch (ProtocolException e)
        {
            throw Corrupt(path, e.Message);
        }
    }

    /// <summary>Offsets of the snapshot files in <paramref name="directory"/>, ascending.</summary>
    public static List<long> List(string directory) =>
        [.. Directory.EnumerateFiles(directory, "*" + SegmentFiles.SnapshotExtension)
            .Select(Path.GetFileNameWithoutExtension)
            .Select(n => n is { Length: 20 } && long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : -1)
            .Where(o => o >= 0)
            .Order()];

    /// <summary>Deletes snapshots above <paramref name="offset"/> (after truncation they describe data that is gone).</summary>
    public static void DeleteAbove(string directory, long offset)
    {
        foreach (var o in List(directory).Where(o => o > offset))
        {
            File.Delete(PathFor(directory, o));
        }
    }

    /// <summary>Deletes snapshots below <paramref name="offset"/>, keeping at least the newest one.</summary>
    public static void DeleteBelow(string directory, long offset)
    {
        var offsets = List(directory);
        foreach (var o in offsets.Take(offsets.Count - 1).Where(o => o < offset))
        {
            File.Delete(PathFor(directory, o));
        }
    }

    private static StorageException Corrupt(string path, string detail) =>
        new(StorageError.CorruptCheckpoint, $"producer snapshot {path}: {detail}");
}
