using Tributary.Protocol;
using Tributary.Protocol.Compression;
using Tributary.Protocol.Primitives;
using Tributary.Protocol.Records;

namespace Tributary.Client.Consumer;

/// <summary>
/// Turns one partition's fetched record batches into <see cref="ConsumeResult"/>s from a position:
/// checks CRCs, decompresses, skips control batches and, for read_committed, batches of aborted
/// transactions (tracked as Kafka's consumer does: a producer is aborted from its transaction's first
/// offset until its ABORT marker).
/// </summary>
internal static class FetchDecoder
{
    /// <summary>Appends records at or after <paramref name="position"/> to <paramref name="output"/>; returns the new position.</summary>
    public static long Decode(TopicPartition partition, ReadOnlySpan<byte> records, long position, IReadOnlyList<(long ProducerId, long FirstOffset)>? aborted,
        bool readCommitted, bool checkCrcs, int maxDecompressedBytes, int maxRecords, List<ConsumeResult> output)
    {
        var abortedQueue = readCommitted && aborted is { Count: > 0 } ? aborted.OrderBy(a => a.FirstOffset).ToList() : null;
        var nextAborted = 0;
        var abortedProducers = new HashSet<long>();
        using var decompressed = new PooledBufferWriter();
        var produced = 0;
        foreach (var bytes in new RecordBatchEnumerator(records))
        {
            var batch = new RecordBatch(bytes);
            if (batch.LastOffset < position)
            {
                continue;
            }

            if (produced >= maxRecords)
            {
                break;
            }

            if (checkCrcs && !batch.IsCrcValid)
            {
                throw new KafkaException(ErrorCode.CorruptMessage, $"record batch at offset {batch.BaseOffset} of {partition} fails its CRC check");
            }

            if (abortedQueue is not null && batch.ProducerId >= 0)
            {
                while (nextAborted < abortedQueue.Count && abortedQueue[nextAborted].FirstOffset <= batch.LastOffset)
                {
                    abortedProducers.Add(abortedQueue[nextAborted].ProducerId);
                    nextAborted++;
                }

                if (batch.IsControl)
                {
                    if (IsAbortMarker(batch))
                    {
                        abortedProducers.Remove(batch.ProducerId);
                    }
                }
                else if (batch.IsTransactional && abortedProducers.Contains(batch.ProducerId))
                {
                    position = batch.LastOffset + 1;
                    continue;
                }
            }

            if (batch.IsControl)
            {
                position = batch.LastOffset + 1;
                continue;
            }

            ReadOnlySpan<byte> section;
            if (batch.Compression == CompressionType.None)
            {
                section = batch.RecordsSection;
            }
            else
            {
                decompressed.Clear();
                try
                {
                    batch.DecompressRecords(decompressed, maxDecompressedBytes);
                }
                catch (ProtocolException ex)
                {
                    throw new KafkaException(ErrorCode.CorruptMessage, $"batch at offset {batch.BaseOffset} of {partition}: {ex.Message}", ex);
                }

                section = decompressed.WrittenSpan;
            }

            var enumerator = new RecordEnumerator(section, batch.RecordCount);
            while (true)
            {
                if (!enumerator.TryMoveNext(out var error))
                {
                    if (error != RecordReadError.None)
                    {
                        throw new KafkaException(ErrorCode.CorruptMessage, $"batch at offset {batch.BaseOffset} of {partition}: record {enumerator.Index}: {error}");
                    }

                    break;
                }

                var record = enumerator.Current;
                var offset = batch.BaseOffset + record.OffsetDelta;
                if (offset < position)
                {
                    continue;
                }

                var timestamp = batch.IsLogAppendTime ? batch.MaxTimestamp : batch.BaseTimestamp + record.TimestampDelta;
                output.Add(new ConsumeResult(partition, offset, timestamp, batch.IsLogAppendTime,
                    record.IsKeyNull ? null : record.Key.ToArray(),
                    record.IsValueNull ? null : record.Value.ToArray(),
                    ReadHeaders(record),
                    batch.PartitionLeaderEpoch));
                produced++;
            }

            position = batch.LastOffset + 1;
        }

        return position;
    }

    private static bool IsAbortMarker(RecordBatch batch)
    {
        if (batch.Compression != CompressionType.None)
        {
            return false;
        }

        foreach (var record in batch.Records)
        {
            return ControlRecords.TryReadType(record.Key, out var type) && type == ControlRecordType.Abort;
        }

        return false;
    }

    private static RecordHeaderData[] ReadHeaders(Record record)
    {
        if (record.HeaderCount == 0)
        {
            return [];
        }

        var headers = new RecordHeaderData[record.HeaderCount];
        var i = 0;
        foreach (var header in record.Headers)
        {
            headers[i++] = new RecordHeaderData(header.KeyString(), header.IsValueNull ? null : header.Value.ToArray());
        }

        return headers;
    }
}
