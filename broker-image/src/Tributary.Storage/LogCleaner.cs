using System.Buffers;
using System.Buffers.Binary;
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
/// Control batches (transaction markers) are always kept. Compressed batches are decompressed
/// to learn their keys but kept whole when any of their records is live (dropped only when all
/// are superseded); one whose codec is unavailable is kept as is. Records without a key are
/// dropped, as Kafka does. Empty batches are dropped, so a producer whose batches were all
/// compacted away is not recoverable from the log (the producer state snapshot keeps it).
/// </summary>
internal static class LogCleaner
{
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
            var reclaimed = 0L;
            var nextHorizon = long.MaxValue;
            foreach (var group in Group(cleanable, config))
            {
                var cleaned = CleanGroup(log, group, latest, config, now, ref nextHorizon);
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

    private static LogSegment CleanGroup(PartitionLog log, List<LogSegment> group, Dictionary<byte[], long> latest, LogConfig config, long now, ref long nextHorizon)
    {
        var cleaned = LogSegment.Create(log.Directory, group[0].BaseOffset, config, SegmentFiles.CleanedSuffix);
        try
        {
            var lookup = latest.GetAlternateLookup<ReadOnlySpan<byte>>();
            var scratch = new ArrayBufferWriter<byte>();
            var horizon = nextHorizon;
            foreach (var segment in group)
            {
                ForEachBatch(segment, (batch, bytes) =>
                {
                    var output = ArrayPool<byte>.Shared.Rent(bytes.Length + (batch.RecordCount * Varint.MaxLength64));
                    try
                    {
                        var length = FilterBatch(batch, bytes, output, lookup, scratch, config, now, ref horizon);
                        if (length > 0)
                        {
                            cleaned.Append(output.AsSpan(0, length), config.IndexIntervalBytes, now);
                        }
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(output);
                    }
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

    /// <summary>Writes the retained form of one batch to <paramref name="output"/>; returns its length (0 drops the batch).</summary>
    private static int FilterBatch(
        BatchInfo batch,
        ReadOnlySpan<byte> bytes,
        Span<byte> output,
        Dictionary<byte[], long>.AlternateLookup<ReadOnlySpan<byte>> latest,
        ArrayBufferWriter<byte> scratch,
        LogConfig config,
        long now,
        ref long nextHorizon)
    {
        if (batch.IsControl)
        {
            return Copy(bytes, output);
        }

        if (!BatchPayload.TryGetRecords(bytes, scratch, out var records))
        {
            return Copy(bytes, output);
        }

        var hasHorizon = RecordBatchHeader.HasDeleteHorizon(batch.Attributes);
        var tombstonesExpired = hasHorizon && now >= batch.BaseTimestamp;
        int kept = 0, tombstones = 0;
        var reader = new RecordReader(records, batch.RecordCount);
        while (reader.TryRead(out var record))
        {
            if (Retain(record, batch, latest, tombstonesExpired))
            {
                kept++;
                tombstones += record.ValueIsNull ? 1 : 0;
            }
        }

        if (kept == 0)
        {
            return 0;
        }

        if (batch.Compression != CompressionType.None)
        {
            return Copy(bytes, output); // kept whole: its records (and tombstones) cannot be dropped one by one
        }

        var addHorizon = tombstones > 0 && !hasHorizon;
        if (tombstones > 0)
        {
            nextHorizon = Math.Min(nextHorizon, addHorizon ? now + config.DeleteRetentionMs : batch.BaseTimestamp);
        }

        // A batch that loses nothing and needs no horizon is copied as is.
        if (kept == batch.RecordCount && !addHorizon)
        {
            return Copy(bytes, output);
        }

        var newBase = addHorizon ? now + config.DeleteRetentionMs : batch.BaseTimestamp;
        bytes[..RecordBatchHeader.Size].CopyTo(output);
        var position = RecordBatchHeader.Size;
        reader = new RecordReader(records, batch.RecordCount);
        while (reader.TryRead(out var record))
        {
            if (!Retain(record, batch, latest, tombstonesExpired))
            {
                continue;
            }

            if (!addHorizon)
            {
                record.Bytes.CopyTo(output[position..]);
                position += record.Bytes.Length;
                continue;
            }

            // Same absolute timestamp relative to the new base: length | attributes | delta | rest verbatim.
            var delta = ZigZag(batch.BaseTimestamp + record.TimestampDelta - newBase);
            var bodyLength = 1 + Varint.SizeOfUnsignedLong(delta) + record.Tail.Length;
            position += Varint.WriteUnsigned(output[position..], Varint.ZigZag(bodyLength));
            output[position++] = (byte)record.Attributes;
            position += Varint.WriteUnsignedLong(output[position..], delta);
            record.Tail.CopyTo(output[position..]);
            position += record.Tail.Length;
        }

        var batchBytes = output[..position];
        BinaryPrimitives.WriteInt32BigEndian(batchBytes[RecordBatchHeader.BatchLengthOffset..], position - RecordBatchHeader.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(batchBytes[RecordBatchHeader.RecordCountOffset..], kept);
        if (addHorizon)
        {
            BinaryPrimitives.WriteInt16BigEndian(batchBytes[RecordBatchHeader.AttributesOffset..], (short)(batch.Attributes | 0x40));
            BinaryPrimitives.WriteInt64BigEndian(batchBytes[RecordBatchHeader.BaseTimestampOffset..], newBase);
        }

        BatchValidator.UpdateCrc(batchBytes);
        return position;
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

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static int Copy(ReadOnlySpan<byte> bytes, Span<byte> output)
    {
        bytes.CopyTo(output);
        return bytes.Length;
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
