using System.Buffers;
using Tributary.Broker.Groups;
using Tributary.Protocol.Records;

namespace Tributary.Broker.Coordination;

/// <summary>
/// Feeds a <c>__consumer_offsets</c> partition's committed log into a loading
/// <see cref="GroupCoordinator"/>, record by record in log order.
/// </summary>
public static class GroupLogReplay
{
    /// <summary>Batches' records are decompressed up to this size (well above any coordinator batch).</summary>
    private const int MaxDecompressedBytes = 64 * 1024 * 1024;

    /// <summary>
    /// Replays every record of every batch in <paramref name="chunks"/>. Control batches
    /// (transaction markers) carry no group state and are skipped, as are records without a key
    /// and records the coordinator cannot decode. Returns (applied, skipped) record counts.
    /// </summary>
    public static (int Applied, int Skipped) Replay(GroupCoordinator coordinator, int partition, IEnumerable<ReadOnlyMemory<byte>> chunks, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        ArgumentNullException.ThrowIfNull(chunks);
        var applied = 0;
        var skipped = 0;
        ArrayBufferWriter<byte>? decompressed = null;
        foreach (var chunk in chunks)
        {
            ct.ThrowIfCancellationRequested();
            foreach (var bytes in new RecordBatchEnumerator(chunk.Span))
            {
                var batch = new RecordBatch(bytes);
                if (batch.IsControl)
                {
                    continue;
                }

                RecordEnumerator records;
                if (batch.Compression == CompressionType.None)
                {
                    records = batch.Records;
                }
                else
                {
                    decompressed ??= new ArrayBufferWriter<byte>();
                    decompressed.ResetWrittenCount();
                    batch.DecompressRecords(decompressed, MaxDecompressedBytes);
                    records = new RecordEnumerator(decompressed.WrittenSpan, batch.RecordCount);
                }

                foreach (var record in records)
                {
                    if (record.IsKeyNull)
                    {
                        skipped++;
                        continue;
                    }

                    var ok = coordinator.Replay(partition, record.Key.ToArray(), record.IsValueNull ? null : record.Value.ToArray());
                    if (ok)
                    {
                        applied++;
                    }
                    else
                    {
                        skipped++;
                    }
                }
            }
        }

        return (applied, skipped);
    }
}
