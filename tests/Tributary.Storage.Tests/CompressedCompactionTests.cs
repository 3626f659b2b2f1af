using Tributary.Protocol.Records;

namespace Tributary.Storage.Tests;

/// <summary>
/// Compaction of compressed batches: filtered record by record and recompressed with the batch's
/// own codec, keeping offsets, timestamps, headers and the producer fields, like Kafka's cleaner.
/// </summary>
public sealed class CompressedCompactionTests : IDisposable
{
    private const long DeleteRetentionMs = 10_000;
    private const int LeaderEpoch = 5;

    private static readonly LogConfig Compacted = LogConfig.Default with
    {
        CleanupPolicy = CleanupPolicy.Compact,
        SegmentBytes = 2000,
        DeleteRetentionMs = DeleteRetentionMs,
        FileDeleteDelayMs = 0,
    };

    /// <summary>Shared so that comparing batches' header fields (records replaced by this) is value equality.</summary>
    private static readonly IReadOnlyList<DecodedRecord> NoRecords = [];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [CodecData(CompressionType.Gzip)]
    [CodecData(CompressionType.Snappy)]
    [CodecData(CompressionType.Lz4)]
    [CodecData(CompressionType.Zstd)]
    public void ACompressedBatchKeepsOnlyTheLatestRecordPerKeyWithItsOffsetsTimestampsAndHeaders(CompressionType codec)
    {
        var time = new ManualTimeProvider();
        using var log = LogFixture.Open(_dir.Sub("orders-0"), Compacted, time);
        log.Append(MixedBatch(codec), LeaderEpoch);                           // offsets 0-7
        log.Append(TestBatches.Build([TestRecord.Of("e", "e2", 1_011)]), LeaderEpoch); // 8: supersedes e1, the batch's last record
        FillToRoll(log);

        log.Compact();
        var cleaned = FirstBatch(log);
        Assert.Equal(codec, cleaned.Compression);
        Assert.Equal(0, cleaned.BaseOffset);
        Assert.Equal(7, cleaned.LastOffset); // the original last offset stays (it carries the producer's last sequence)
        Assert.Equal((7L, (short)2, 0, LeaderEpoch), (cleaned.ProducerId, cleaned.ProducerEpoch, cleaned.BaseSequence, cleaned.PartitionLeaderEpoch));
        Assert.True(cleaned.HasDeleteHorizon); // it holds a tombstone
        Assert.Equal(time.NowMs + DeleteRetentionMs, cleaned.BaseTimestamp);
        Assert.Equal(1_009, cleaned.MaxTimestamp); // the retained records' maximum (e1 at 1010 is gone)
        Assert.Equal(
            [
                new DecodedRecord(3, 1_003, "c", "c1", [("trace", "t-1"), ("empty", null)]),
                new DecodedRecord(4, 1_004, "b", null, []),
                new DecodedRecord(6, 1_009, "a", "a3", []),
            ],
            cleaned.Records);

        // The whole log reads back (every batch CRC-checked), and survives a reopen with full recovery.
        var records = LogFixture.ReadAll(log);
        Assert.Equal(records.Select(r => r.KeyText).Distinct().Count(), records.Count);
        log.Dispose();
        using var reopened = LogFixture.Open(log.Directory, Compacted, time);
        Assert.Equal(0, reopened.TruncatedOnRecovery);
        Assert.Equal(records.Select(r => (r.Offset, r.ValueText)), LogFixture.ReadAll(reopened).Select(r => (r.Offset, r.ValueText)));

        // Past the delete horizon the tombstone goes; the batch keeps its horizon, codec and offsets.
        time.Advance(DeleteRetentionMs);
        reopened.Compact();
        var later = FirstBatch(reopened);
        Assert.Equal((codec, 0L, 7L, true), (later.Compression, later.BaseOffset, later.LastOffset, later.HasDeleteHorizon));
        Assert.Equal([(3L, "c1", 1_003L), (6L, "a3", 1_009L)], later.Records.Select(r => (r.Offset, r.Value, r.Timestamp)));
        Assert.Equal([("trace", "t-1"), ("empty", null)], later.Records[0].Headers);
    }

    [Theory]
    [CodecData(CompressionType.Gzip)]
    [CodecData(CompressionType.Snappy)]
    [CodecData(CompressionType.Lz4)]
    [CodecData(CompressionType.Zstd)]
    public void AFullyDeadCompressedBatchDisappearsAndALiveOneLosesItsStaleRecords(CompressionType codec)
    {
        var time = new ManualTimeProvider();
        using var log = LogFixture.Open(_dir.Sub("orders-0"), Compacted, time);
        LogFixture.AppendRecords(log, TestRecord.Of("a", "a-old", 1), TestRecord.Of("c", "c-old", 1)); // 0-1
        log.Append(Compressed(codec, ("a", "a-z", 2), ("b", "b-z", 2)));                              // 2-3
        log.Append(Compressed(codec, ("x", "x-z", 2), ("y", "y-z", 2)));                              // 4-5
        LogFixture.AppendRecords(log, TestRecord.Of("b", "b-new", 3), TestRecord.Of("x", "x-new", 3), TestRecord.Of("y", "y-new", 3)); // 6-8
        FillToRoll(log);

        log.Compact();
        var batches = AllBatches(log);
        Assert.DoesNotContain(batches, b => b.BaseOffset == 4); // both records superseded: dropped
        var live = Assert.Single(batches, b => b.BaseOffset == 2);
        Assert.Equal(codec, live.Compression);
        Assert.Equal(3, live.LastOffset);
        Assert.Equal([(2L, "a", "a-z")], live.Records.Select(r => (r.Offset, r.Key, r.Value)));
        var values = LogFixture.ReadAll(log).Select(r => r.ValueText).ToList();
        Assert.DoesNotContain("a-old", values); // superseded by a key inside the compressed batch
        Assert.DoesNotContain("b-z", values);
        Assert.Contains("c-old", values);
        Assert.Contains("b-new", values);
    }

    [Fact]
    public void ABatchGzippedByAnotherWriterIsFilteredAndRecompressed()
    {
        var time = new ManualTimeProvider();
        using var log = LogFixture.Open(_dir.Sub("orders-0"), Compacted, time);
        log.Append(TestBatches.BuildGzip([TestRecord.Of("a", "a1", 5), TestRecord.Of("b", "b1", 6), TestRecord.Of("a", "a2", 7)]));
        FillToRoll(log);

        log.Compact();
        var batch = FirstBatch(log);
        Assert.Equal(CompressionType.Gzip, batch.Compression);
        Assert.Equal([(1L, "b1", 6L), (2L, "a2", 7L)], batch.Records.Select(r => (r.Offset, r.Value, r.Timestamp)));
        Assert.Equal(7, batch.MaxTimestamp);
    }

    [Fact]
    public void ABatchThatLosesNothingIsKeptByteForByte()
    {
        var time = new ManualTimeProvider();
        using var log = LogFixture.Open(_dir.Sub("orders-0"), Compacted, time);
        var original = Compressed(CompressionType.Gzip, ("a", "a1", 5), ("b", "b1", 6));
        log.Append(original.ToArray());
        FillToRoll(log);

        log.Compact();
        using var read = log.Read(0, 1 << 20);
        Assert.Equal(original, TestBatches.Split(read.Records.Span)[0]);
    }

    /// <summary>
    /// The same records, compressed or not, clean to the same records and the same header fields
    /// (apart from the codec bits) through every stage of the delete horizon.
    /// </summary>
    [Theory]
    [CodecData(CompressionType.Gzip)]
    [CodecData(CompressionType.Snappy)]
    [CodecData(CompressionType.Lz4)]
    [CodecData(CompressionType.Zstd)]
    public void CompressedBatchesCleanExactlyLikeUncompressedOnes(CompressionType codec)
    {
        var time = new ManualTimeProvider();
        using var plain = LogFixture.Open(_dir.Sub("plain-0"), Compacted, time);
        using var compressed = LogFixture.Open(_dir.Sub("compressed-0"), Compacted, time);
        foreach (var (log, type) in new[] { (plain, CompressionType.None), (compressed, codec) })
        {
            log.Append(MixedBatch(type), LeaderEpoch);
            log.Append(Compressed(type, ("k", "k1", 2_000), ("m", null, 2_001), ("k", null, 2_002)), LeaderEpoch); // tombstones only
            log.Append(TestBatches.Build([TestRecord.Of("e", "e2", 1_011), TestRecord.Of("m", "m2", 1_012)]), LeaderEpoch);
            FillToRoll(log);
        }

        AssertSame();
        foreach (var step in new[] { 0L, DeleteRetentionMs - 1, 1 })
        {
            time.Advance(step);
            plain.Compact();
            compressed.Compact();
            AssertSame();
        }

        // The tombstones are gone at the end, in both.
        Assert.DoesNotContain(LogFixture.ReadAll(compressed), r => r.Value is null);

        void AssertSame()
        {
            var expected = AllBatches(plain);
            var actual = AllBatches(compressed);
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                var codecBits = actual[i].Compression == CompressionType.None ? 0 : (short)codec;
                Assert.Equal(expected[i] with { Records = NoRecords }, actual[i] with { Attributes = (short)(actual[i].Attributes & ~codecBits), Records = NoRecords });
                Assert.Equal(expected[i].Records, actual[i].Records);
            }
        }
    }

    /// <summary>
    /// An idempotent producer's batch (id 7, epoch 2, sequence 0): a-b-a-c(headers)-b(tombstone)-
    /// (no key)-a-e, timestamps 1000-1010 out of order at the end.
    /// </summary>
    private static byte[] MixedBatch(CompressionType codec)
    {
        using var builder = new RecordBatchBuilder { Compression = codec, ProducerId = 7, ProducerEpoch = 2, BaseSequence = 0 };
        builder.Append(1_000, "a"u8.ToArray(), "a1"u8.ToArray());
        builder.Append(1_001, "b"u8.ToArray(), "b1"u8.ToArray());
        builder.Append(1_002, "a"u8.ToArray(), "a2"u8.ToArray());
        builder.Append(1_003, "c"u8.ToArray(), "c1"u8.ToArray(), new RecordHeaderData("trace", "t-1"u8.ToArray()), new RecordHeaderData("empty", null));
        builder.Append(1_004, "b"u8.ToArray(), null);
        builder.Append(1_005, null, "no key"u8.ToArray());
        builder.Append(1_009, "a"u8.ToArray(), "a3"u8.ToArray());
        builder.Append(1_010, "e"u8.ToArray(), "e1"u8.ToArray());
        return builder.ToArray();
    }

    private static byte[] Compressed(CompressionType codec, params (string Key, string? Value, long Timestamp)[] records)
    {
        using var builder = new RecordBatchBuilder { Compression = codec };
        foreach (var (key, value, timestamp) in records)
        {
            builder.Append(timestamp, System.Text.Encoding.UTF8.GetBytes(key), value is null ? null : System.Text.Encoding.UTF8.GetBytes(value));
        }

        return builder.ToArray();
    }

    private static DecodedBatch FirstBatch(PartitionLog log) => AllBatches(log)[0];

    private static List<DecodedBatch> AllBatches(PartitionLog log)
    {
        var result = new List<DecodedBatch>();
        var offset = log.LogStartOffset;
        while (offset < log.LogEndOffset)
        {
            using var read = log.Read(offset, 1 << 20);
            Assert.Equal(ReadStatus.Ok, read.Status);
            if (read.Records.IsEmpty)
            {
                break;
            }

            result.AddRange(DecodedBatch.All(read.Records.Span));
            offset = result[^1].LastOffset + 1;
        }

        return result;
    }

    /// <summary>Appends filler (same leader epoch) under distinct keys until the segment holding the test data is closed.</summary>
    private static void FillToRoll(PartitionLog log)
    {
        var segments = log.SegmentCount;
        var i = 0;
        while (log.SegmentCount == segments)
        {
            log.Append(TestBatches.Build([TestRecord.Of($"filler{i++}", "x", 1)]), LeaderEpoch);
        }
    }
}
