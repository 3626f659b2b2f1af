using System.Buffers;
using Tributary.Broker.Topics;
using Tributary.Protocol.Primitives;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Records;
using Tributary.Storage;

namespace Tributary.Broker.Metadata;

/// <summary>
/// The local <c>__cluster_metadata-0</c> partition log: metadata records as the values of v2
/// record batches (null keys, <see cref="MetadataRecordSerde"/> framing), one batch per commit so a
/// commit is atomic, each fsynced before it counts. Snapshots are not written yet, so the log is
/// never trimmed (no retention).
/// </summary>
public sealed class MetadataLog
{
    /// <summary>The log's partition; its directory lives in the first log dir, as Kafka's default metadata.log.dir.</summary>
    public static readonly TopicPartition Partition = new(TopicNames.ClusterMetadata, 0);

    /// <summary>Largest single commit (Kafka's Raft batch limit).</summary>
    public const int MaxBatchBytes = 8 * 1024 * 1024;

    private const int ReadChunkBytes = 1024 * 1024;

    private readonly PartitionLog _log;

    public MetadataLog(PartitionLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        _log = log;
        _log.Config = LogConfig;
    }

    /// <summary>Storage settings of the metadata log: unlimited retention, large batches, explicit fsync per commit.</summary>
    public static LogConfig LogConfig { get; } = new()
    {
        RetentionMs = -1,
        RetentionBytes = -1,
        CleanupPolicy = CleanupPolicy.Delete,
        MaxMessageBytes = MaxBatchBytes,
    };

    /// <summary>
    /// Opens the metadata log through the broker's <see cref="LogManager"/> (which also finds it in
    /// the first log dir at start-up; starting the manager here is idempotent).
    /// </summary>
    public static MetadataLog Open(LogManager logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        logs.Startup();
        return new MetadataLog(logs.GetLog(Partition) ?? logs.GetOrCreateLog(Partition, LogConfig));
    }

    /// <summary>The offset the next record gets.</summary>
    public long EndOffset => _log.LogEndOffset;

    /// <summary>
    /// Appends <paramref name="records"/> as one batch and fsyncs it. Returns the offsets of the first
    /// and last record. Throws <see cref="InvalidOperationException"/> for a commit above <see cref="MaxBatchBytes"/>.
    /// </summary>
    public (long First, long Last) Append(IReadOnlyList<IMetadataRecord> records, int epoch, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            throw new ArgumentException("nothing to append", nameof(records));
        }

        using var builder = new RecordBatchBuilder { PartitionLeaderEpoch = epoch };
        foreach (var record in records)
        {
            builder.AppendValue(timestamp, MetadataRecordSerde.Serialize(record));
        }

        if (builder.RecordsSize > MaxBatchBytes - RecordBatchHeader.Size)
        {
            throw new InvalidOperationException($"a metadata commit of {records.Count} records ({builder.RecordsSize} bytes) exceeds {MaxBatchBytes} bytes");
        }

        var batch = builder.ToArray();
        var result = _log.Append(batch, epoch);
        _log.Flush();
        return (result.FirstOffset, result.LastOffset);
    }

    /// <summary>Calls <paramref name="visit"/> with every record in the log, in offset order.</summary>
    public void ReadAll(Action<long, IMetadataRecord> visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        var offset = _log.LogStartOffset;
        while (offset < _log.LogEndOffset)
        {
            using var chunk = _log.Read(offset, ReadChunkBytes);
            if (chunk.Records.IsEmpty)
            {
                break;
            }

            offset = VisitBatches(chunk.Records, offset, visit);
        }
    }

    /// <summary>
    /// Visits the metadata records of the whole batches in <paramref name="batches"/> (skipping control
    /// batches) at or after offset <paramref name="from"/>; returns the offset after the last batch.
    /// Shared with the Raft-backed store, which applies committed batches the same way.
    /// </summary>
    public static long VisitBatches(ReadOnlyMemory<byte> batches, long from, Action<long, IMetadataRecord> visit)
    {
        var next = from;
        var position = 0;
        while (position + RecordBatchHeader.LogOverhead <= batches.Length)
        {
            var bytes = batches[position..];
            var size = RecordBatchHeader.TotalSize(bytes.Span);
            if (size > bytes.Length)
            {
                break;
            }

            var batchMemory = bytes[..size];
            position += size;
            var last = RecordBatchHeader.LastOffset(batchMemory.Span);
            next = Math.Max(next, last + 1);
            if (RecordBatchHeader.IsControl(RecordBatchHeader.Attributes(batchMemory.Span)))
            {
                // Raft control records (leader change, snapshot markers) carry no metadata.
                continue;
            }

            VisitRecords(batchMemory, from, visit);
        }

        return next;
    }

    private static void VisitRecords(ReadOnlyMemory<byte> batchMemory, long from, Action<long, IMetadataRecord> visit)
    {
        var values = new List<(long Offset, byte[] Value)>();
        var batch = new RecordBatch(batchMemory.Span);
        var baseOffset = batch.BaseOffset;
        if (!batch.IsCrcValid)
        {
            throw new ProtocolException(ProtocolError.CorruptRecord, $"metadata batch at offset {baseOffset} fails its CRC check");
        }

        if (batch.Compression == CompressionType.None)
        {
            foreach (var record in batch.Records)
            {
                values.Add((baseOffset + record.OffsetDelta, record.Value.ToArray()));
            }
        }
        else
        {
            var output = new ArrayBufferWriter<byte>();
            batch.DecompressRecords(output, MaxBatchBytes * 4);
            foreach (var record in new RecordEnumerator(output.WrittenSpan, batch.RecordCount))
            {
                values.Add((baseOffset + record.OffsetDelta, record.Value.ToArray()));
            }
        }

        foreach (var (offset, value) in values)
        {
            if (offset >= from)
            {
                visit(offset, MetadataRecordSerde.Deserialize(value).Record);
            }
        }
    }
}
