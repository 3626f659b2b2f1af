using System.Buffers;
using System.Buffers.Binary;
using Tributary.Protocol.Compression;
using Tributary.Protocol.Primitives;
using Tributary.Protocol.Records;

namespace Tributary.Storage;

/// <summary>
/// Log compaction (<c>cleanup.policy=compact</c>), modelled on Kafka's cleaner:
/// <list type="number">
/// <item>Cleanable range: closed segments wholly below the upper bound (the last stable offset)
/// and older than <c>min.compaction.lag.ms</c>.</item>
/// <item>Pass 1 builds key → latest offset over that range.</item>
/// <item>Pass 2 rewrites groups of consecutive segments (up to <c>segment.bytes</c>) into one
/// <c>.cleaned</c> segment, keeping a record only if it is the latest for its key; offsets are
/// preserved (gaps are normal); retained records are copied verbatim.</item>
/// <item>Tombstones follow KIP-534: the first cleaning that keeps a tombstone stamps its batch
/// with a delete horizon (attribute bit 6, base timestamp = now + <c>delete.retention.ms</c>,
/// record timestamp deltas re-encoded); a later cleaning past the horizon drops it.</item>
/// <item>The cleaned segment replaces the group atomically (see <see cref="PartitionLog.ReplaceSegments"/>).</item>
/// </list>
/// Control batches (transaction markers) are always kept. Compressed batches are filtered record
/// by record like uncompressed ones (Kafka's <c>MemoryRecords.filterTo</c>): the retained records
/// are recompressed with the batch's own codec into a batch that keeps the original header
/// fields (base offset, last offset delta, so the producer's last sequence survives, producer
/// id/epoch, base sequence, leader epoch, flags and timestamp type); only the length, record
/// count, max timestamp (create time: the retained records' maximum), delete horizon and CRC
/// change. A batch whose codec is unavailable is kept as is. Records without a key are dropped,
/// as Kafka does. A batch left without records is dropped, except the last batch of a producer
/// still in the producer state: its header stays as an empty batch (Kafka's rule), so the
/// producer's epoch and last sequence are still in the log for whoever rebuilds producer state
/// from it (a new replica copying the log, or a replay when the snapshots are gone); without it a
/// failover to that replica answers the producer's next batch with OUT_OF_ORDER_SEQUENCE.
/// </summary>
internal static class LogCleaner
{
    /// <summary>Segment file positions (and offset index entries) are int32.</summary>
    private const long MaxCleanedSegmentBytes = int.MaxValue;

    public static bool NeedsCleaning(PartitionLog log)
    {
        var config = log.Config;
        if (!config.CleanupPolicy.HasFlag(CleanupPolicy.Compact))
        {
            return false;
        }

        if (log.Time.GetUtcNow().ToUnixTimeMilliseconds() >= log.Cleaner.NextTombstoneHorizonMs)
        {
            return true;
        }

        var segments = log.Segments;
        long total = 0, dirty = 0;
        var firstDirty = log.Cleaner.FirstDirtyOffset;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            total += segments[i].Size;
            if (segments[i].NextOffset > firstDirty)
            {
                dirty += segments[i].Size;
            }
        }

        return dirty > 0 && dirty >= config.MinCleanableDirtyRatio * total;
    }

    public static long Clean(PartitionLog log, long upperBoundOffset)
    {
        lock (log.CleanLock)
        {
            var config = log.Config;
            if (!config.CleanupPolicy.HasFlag(CleanupPolicy.Compact) || log.IsClosed)
            {
                return 0;
            }

            var now = log.Time.GetUtcNow().ToUnixTimeMilliseconds();
            var cleanable = CleanableSegments(log, config, upperBoundOffset, now);
            if (cleanable.Count == 0)
            {
                return 0;
            }

            var latest = BuildKeyMap(cleanable);
            var activeProducers = log.LastOffsetsOfProducers();
            var reclaimed = 0L;
            var nextHorizon = long.MaxValue;
            foreach (var group in Group(cleanable, config))
            {
                var cleaned = CleanGroup(log, group, latest, activeProducers, config, now, ref nextHorizon);
                bool replaced;
                try
                {
                    replaced = log.ReplaceSegments(group, cleaned);
                }
                catch
                {
                    // An I/O failure mid-swap: before the commit the output is discarded; after it,
                    // recovery on the next open finishes the swap (the live log keeps serving the old files).
                    if (cleaned.Suffix == SegmentFiles.CleanedSuffix)
                    {
                        cleaned.DeleteFiles();
                    }
                    else
                    {
                        cleaned.Dispose();
                    }

                    throw;
                }

                if (!replaced)
                {
                    // Retention or truncation changed the log meanwhile; try again next time.
                    cleaned.DeleteFiles();
                    return reclaimed;
                }

                reclaimed += group.Sum(s => (long)s.Size) - cleaned.Size;
            }

            log.Cleaner.FirstDirtyOffset = Math.Max(log.Cleaner.FirstDirtyOffset, cleanable[^1].NextOffset);
            log.Cleaner.NextTombstoneHorizonMs = nextHorizon;
            return reclaimed;
        }
    }

    private static List<LogSegment> CleanableSegments(PartitionLog log, LogConfig config, long upperBoundOffset, long now)
    {
        var segments = log.Segments;
        var result = new List<LogSegment>();
        for (var i = 0; i < segments.Length - 1; i++)
        {
            var segment = segments[i];
            if (segment.NextOffset > upperBoundOffset || (config.MinCompactionLagMs > 0 && segment.MaxTimestamp > now - config.MinCompactionLagMs))
            {
                break;
            }

            result.Add(segment);
        }

        return result;
    }

    private static Dictionary<byte[], long> BuildKeyMap(List<LogSegment> segments)
    {
        var map = new Dictionary<byte[], long>(ByteArrayKeyComparer.Instance);
        var lookup = map.GetAlternateLookup<ReadOnlySpan<byte>>();
        var scratch = new ArrayBufferWriter<byte>();
        foreach (var segment in segments)
        {
            ForEachBatch(segment, (batch, bytes) =>
            {
                if (batch.IsControl || !BatchPayload.TryGetRecords(bytes, scratch, out var records))
                {
                    return;
                }

                var reader = new RecordReader(records, batch.RecordCount);
                while (reader.TryRead(out var record))
                {
                    if (!record.KeyIsNull)
                    {
                        lookup[record.Key] = batch.BaseOffset + record.OffsetDelta;
                    }
                }
            });
        }

        return map;
    }

    /// <summary>Consecutive segments whose combined size fits one segment and whose offsets fit relative int32 offsets.</summary>
    private static IEnumerable<List<LogSegment>> Group(List<LogSegment> segments, LogConfig config)
    {
        var group = new List<LogSegment>();
        long size = 0;
        foreach (var segment in segments)
        {
            if (group.Count > 0 && (size + segment.Size > config.SegmentBytes || segment.NextOffset - group[0].BaseOffset > int.MaxValue))
            {
                yield return group;
                group = [];
                size = 0;
            }

            group.Add(segment);
            size += segment.Size;
        }

        if (group.Count > 0)
        {
            yield return group;
        }
    }

    private static LogSegment CleanGroup(PartitionLog log, List<LogSegment> group, Dictionary<byte[], long> latest,
        Dictionary<long, long> activeProducers, LogConfig config, long now, ref long nextHorizon)
    {
        var cleaned = LogSegment.Create(log.Directory, group[0].BaseOffset, config, SegmentFiles.CleanedSuffix);
        try
        {
            var lookup = latest.GetAlternateLookup<ReadOnlySpan<byte>>();
            using var buffers = new CleanerBuffers();
            var horizon = nextHorizon;

            // Output space: a rewrite may outgrow its original (a stamped delete horizon widens the
            // timestamp deltas; our codec may compress a subset worse than the producer did). Like
            // Kafka's, a cleaned segment may then exceed segment.bytes a little, but never the int32
            // file positions its indexes hold: a rewrite that would leave too little room for the
            // originals still to come is replaced by its original, which always fits.
            long remaining = group.Sum(s => (long)s.Size);
            foreach (var segment in group)
            {
                ForEachBatch(segment, (batch, bytes) =>
                {
                    remaining -= batch.Size;
                    var outcome = FilterBatch(batch, bytes, buffers, lookup, activeProducers, config, now, ref horizon);
                    if (outcome == BatchCleaningOutcome.Drop)
                    {
                        return;
                    }

                    var kept = outcome == BatchCleaningOutcome.Rewritten ? buffers.Output.WrittenSpan : bytes;
                    if (cleaned.Size + (long)kept.Length + remaining > MaxCleanedSegmentBytes)
                    {
                        kept = bytes;
                    }

                    cleaned.Append(kept, config, now);
                });
            }

            nextHorizon = horizon;

            // Markers are always retained, so every aborted transaction entry stays valid.
            foreach (var segment in group)
            {
                for (var i = 0; i < segment.TxnIndex.Count; i++)
                {
                    cleaned.TxnIndex.Append(segment.TxnIndex.Read(i));
                }
            }

            cleaned.Seal();
            cleaned.Flush();
            return cleaned;
        }
        catch
        {
            cleaned.DeleteFiles();
            throw;
        }
    }

    /// <summary>
    /// Decides the fate of one batch; a rewritten batch is left in <see cref="CleanerBuffers.Output"/>.
    /// Offsets are preserved: the rewrite keeps the base offset and last offset delta and copies each
    /// retained record's offset delta, so no record needs re-basing; only timestamp deltas are
    /// re-encoded when a delete horizon replaces the base timestamp.
    /// </summary>
    private static BatchCleaningOutcome FilterBatch(
        BatchInfo batch,
        ReadOnlySpan<byte> bytes,
        CleanerBuffers buffers,
        Dictionary<byte[], long>.AlternateLookup<ReadOnlySpan<byte>> latest,
        Dictionary<long, long> activeProducers,
        LogConfig config,
        long now,
        ref long nextHorizon)
    {
        if (batch.IsControl || !BatchPayload.TryGetRecords(bytes, buffers.Decompressed, out var records))
        {
            return BatchCleaningOutcome.KeepOriginal;
        }

        var hasHorizon = RecordBatchHeader.HasDeleteHorizon(batch.Attributes);
        var tombstonesExpired = hasHorizon && now >= batch.BaseTimestamp;
        int kept = 0, tombstones = 0;
        var maxTimestamp = long.MinValue;
        var reader = new RecordReader(records, batch.RecordCount);
        while (reader.TryRead(out var record))
        {
            if (Retain(record, batch, latest, tombstonesExpired))
            {
                kept++;
                tombstones += record.ValueIsNull ? 1 : 0;
                maxTimestamp = Math.Max(maxTimestamp, batch.BaseTimestamp + record.TimestampDelta);
            }
        }

        if (kept == 0)
        {
            var lastOfActiveProducer = batch.ProducerId >= 0 && activeProducers.TryGetValue(batch.ProducerId, out var last) && last == batch.LastOffset;
            return lastOfActiveProducer ? WriteEmptyBatch(bytes, buffers.Output) : BatchCleaningOutcome.Drop;
        }

        var addHorizon = tombstones > 0 && !hasHorizon;
        if (tombstones > 0)
        {
            nextHorizon = Math.Min(nextHorizon, addHorizon ? now + config.DeleteRetentionMs : batch.BaseTimestamp);
        }

        // A batch that loses nothing and needs no horizon is kept as is.
        if (kept == batch.RecordCount && !addHorizon)
        {
            return BatchCleaningOutcome.KeepOriginal;
        }

        var newBase = addHorizon ? now + config.DeleteRetentionMs : batch.BaseTimestamp;
        var output = buffers.Output;
        output.Clear();
        bytes[..RecordBatchHeader.Size].CopyTo(output.GetSpan(RecordBatchHeader.Size));
        output.Advance(RecordBatchHeader.Size);
        if (batch.Compression == CompressionType.None)
        {
            WriteRetained(records, batch, latest, tombstonesExpired, newBase, output);
        }
        else
        {
            // Recompressed with the batch's own codec, as Kafka's cleaner does.
            buffers.Retained.Clear();
            WriteRetained(records, batch, latest, tombstonesExpired, newBase, buffers.Retained);
            try
            {
                CompressionCodecs.Get(batch.Compression).Compress(buffers.Retained.WrittenSpan, output);
            }
            catch (CompressionUnavailableException)
            {
                return BatchCleaningOutcome.KeepOriginal;
            }
        }

        var batchBytes = output.WrittenSpanMutable;
        BinaryPrimitives.WriteInt32BigEndian(batchBytes[RecordBatchHeader.BatchLengthOffset..], batchBytes.Length - RecordBatchHeader.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(batchBytes[RecordBatchHeader.RecordCountOffset..], kept);
        if (addHorizon)
        {
            BinaryPrimitives.WriteInt16BigEndian(batchBytes[RecordBatchHeader.AttributesOffset..], (short)(batch.Attributes | 0x40));
            BinaryPrimitives.WriteInt64BigEndian(batchBytes[RecordBatchHeader.BaseTimestampOffset..], newBase);
        }

        // Log-append time batches carry their timestamp in the header, which stays.
        if (!RecordBatchHeader.IsLogAppendTime(batch.Attributes))
        {
            BinaryPrimitives.WriteInt64BigEndian(batchBytes[RecordBatchHeader.MaxTimestampOffset..], maxTimestamp);
        }

        BatchValidator.UpdateCrc(batchBytes);
        return BatchCleaningOutcome.Rewritten;
    }

    /// <summary>
    /// The header of <paramref name="original"/> alone, as a batch of no records: base offset, last
    /// offset delta, producer id, epoch, base sequence, leader epoch, timestamps and flags stay;
    /// the codec bits go (there is nothing to compress), the length, count and CRC follow.
    /// </summary>
    private static BatchCleaningOutcome WriteEmptyBatch(ReadOnlySpan<byte> original, PooledBufferWriter output)
    {
        output.Clear();
        original[..RecordBatchHeader.Size].CopyTo(output.GetSpan(RecordBatchHeader.Size));
        output.Advance(RecordBatchHeader.Size);
        var header = output.WrittenSpanMutable;
        BinaryPrimitives.WriteInt32BigEndian(header[RecordBatchHeader.BatchLengthOffset..], RecordBatchHeader.Size - RecordBatchHeader.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(header[RecordBatchHeader.RecordCountOffset..], 0);
        var attributes = BinaryPrimitives.ReadInt16BigEndian(header[RecordBatchHeader.AttributesOffset..]);
        BinaryPrimitives.WriteInt16BigEndian(header[RecordBatchHeader.AttributesOffset..], (short)(attributes & ~RecordBatchHeader.CompressionMask));
        BatchValidator.UpdateCrc(header);
        return BatchCleaningOutcome.Rewritten;
    }

    /// <summary>
    /// Appends the retained records of a batch to <paramref name="destination"/>: verbatim, or with
    /// the timestamp delta re-encoded against <paramref name="newBase"/> (same absolute timestamp):
    /// length | attributes | delta | rest verbatim.
    /// </summary>
    private static void WriteRetained(
        ReadOnlySpan<byte> records,
        BatchInfo batch,
        Dictionary<byte[], long>.AlternateLookup<ReadOnlySpan<byte>> latest,
        bool tombstonesExpired,
        long newBase,
        IBufferWriter<byte> destination)
    {
        var reader = new RecordReader(records, batch.RecordCount);
        while (reader.TryRead(out var record))
        {
            if (!Retain(record, batch, latest, tombstonesExpired))
            {
                continue;
            }

            if (newBase == batch.BaseTimestamp)
            {
                destination.Write(record.Bytes);
                continue;
            }

            var delta = Varint.ZigZag(batch.BaseTimestamp + record.TimestampDelta - newBase);
            var bodyLength = 1 + Varint.SizeOfUnsignedLong(delta) + record.Tail.Length;
            var span = destination.GetSpan(Varint.MaxLength32 + bodyLength);
            var position = Varint.WriteUnsigned(span, Varint.ZigZag(bodyLength));
            span[position++] = (byte)record.Attributes;
            position += Varint.WriteUnsignedLong(span[position..], delta);
            record.Tail.CopyTo(span[position..]);
            destination.Advance(position + record.Tail.Length);
        }
    }

    private static bool Retain(RecordView record, BatchInfo batch, Dictionary<byte[], long>.AlternateLookup<ReadOnlySpan<byte>> latest, bool tombstonesExpired)
    {
        if (record.KeyIsNull)
        {
            return false;
        }

        var offset = batch.BaseOffset + record.OffsetDelta;
        if (latest.TryGetValue(record.Key, out var newest) && newest > offset)
        {
            return false;
        }

        return !(record.ValueIsNull && tombstonesExpired);
    }

    private delegate void BatchVisitor(BatchInfo batch, ReadOnlySpan<byte> bytes);

    /// <summary>Reads each whole batch of a (closed, immutable) segment into a pooled buffer.</summary>
    private static void ForEachBatch(LogSegment segment, BatchVisitor visit)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using var scanner = new SegmentScanner(segment.Handle, 0, segment.Size);
            while (scanner.Next(out var batch) == ScanStatus.Batch)
            {
                if (buffer.Length < batch.Size)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(batch.Size);
                }

                var bytes = buffer.AsSpan(0, batch.Size);
                if (segment.Read(batch.Position, bytes) != batch.Size)
                {
                    throw new IOException($"segment {segment.LogPath} shorter than its published size");
                }

                visit(batch, bytes);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
