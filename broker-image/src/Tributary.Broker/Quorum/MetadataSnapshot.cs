using Tributary.Broker.Metadata;
using Tributary.Protocol;
using Tributary.Protocol.Primitives;
using Tributary.Protocol.Records;

namespace Tributary.Broker.Quorum;

/// <summary>
/// The bytes of a metadata snapshot: <see cref="ImageRecords"/> as v2 record batches of
/// <see cref="MetadataRecordSerde"/>-framed values. Every record of a batch is replayed at the batch's
/// base offset (so records keep the offsets the image depends on, such as broker registrations);
/// the loaded image's offset is the snapshot's last offset.
/// </summary>
public static class MetadataSnapshot
{
    private const int MaxRecordsPerBatch = 1000;

    public static byte[] Write(MetadataImage image, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var output = new MemoryStream();
        var records = ImageRecords.ToRecords(image);
        var i = 0;
        while (i < records.Count)
        {
            var offset = records[i].Offset;
            using var builder = new RecordBatchBuilder { BaseOffset = offset };
            var count = 0;
            while (i < records.Count && records[i].Offset == offset && count < MaxRecordsPerBatch)
            {
                builder.AppendValue(timestamp, MetadataRecordSerde.Serialize(records[i].Record));
                i++;
                count++;
            }

            output.Write(builder.ToArray());
        }

        return output.ToArray();
    }

    /// <summary>
    /// Rebuilds the image stored in <paramref name="state"/>, a snapshot of everything below
    /// <paramref name="endOffset"/>. Throws <see cref="ProtocolException"/> for corrupt bytes and
    /// <see cref="MetadataReplayException"/> for records that do not replay.
    /// </summary>
    public static MetadataImage Read(ReadOnlyMemory<byte> state, string clusterId, long endOffset)
    {
        var delta = new MetadataDelta(MetadataImage.Empty(clusterId));
        var batches = new RecordBatchEnumerator(state.Span);
        var position = 0;
        while (batches.MoveNext())
        {
            var batch = batches.CurrentBatch;
            if (!batch.IsCrcValid)
            {
                throw new ProtocolException(ProtocolError.CorruptRecord, $"snapshot batch at position {position} fails its CRC check");
            }

            var memory = state.Slice(position, batch.Bytes.Length);
            position += batch.Bytes.Length;
            var baseOffset = batch.BaseOffset;
            MetadataLog.VisitBatches(memory, 0, (_, record) => delta.Replay(record, baseOffset));
        }

        return delta.Apply() with { Offset = endOffset - 1 };
    }
}
