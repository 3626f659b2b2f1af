using System.Buffers.Binary;

namespace Tributary.Storage.Tests;

public sealed class AppendReadTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AppendAssignsOffsetsAndRoundTripsAcrossSegmentRolls()
    {
        var config = LogConfig.Default with { SegmentBytes = 1024, IndexIntervalBytes = 128 };
        using var log = LogFixture.Open(_dir.Sub("orders-0"), config);
        var expected = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var result = LogFixture.AppendSimple(log, 3, prefix: $"b{i}-");
            Assert.Equal(i * 3L, result.FirstOffset);
            Assert.Equal((i * 3L) + 2, result.LastOffset);
            Assert.Equal(3, result.RecordCount);
            expected.AddRange(Enumerable.Range(0, 3).Select(j => $"b{i}-{j}"));
        }

        Assert.Equal(180, log.LogEndOffset);
        Assert.True(log.SegmentCount > 5, $"expected rolls, got {log.SegmentCount} segments");
        Assert.All(Directory.GetFiles(log.Directory, "*.log"), f => Assert.Matches(@"\d{20}\.log$", f));

        var records = LogFixture.ReadAll(log);
        Assert.Equal(expected, records.Select(r => r.ValueText));
        Assert.Equal(Enumerable.Range(0, 180).Select(i => (long)i), records.Select(r => r.Offset));
    }

    [Fact]
    public void MultiBatchAppendAssignsConsecutiveOffsets()
    {
        using var log = LogFixture.Open(_dir.Sub("orders-0"));
        var result = log.Append(TestBatches.Concat(TestBatches.Simple(2), TestBatches.Simple(5), TestBatches.Simple(1)));
        Assert.Equal(0, result.FirstOffset);
        Assert.Equal(7, result.LastOffset);
        Assert.Equal(3, result.BatchCount);

        using var read = log.Read(0, 1 << 20);
        var batches = TestBatches.Split(read.Records.Span);
        Assert.Equal([0L, 2L, 7L], batches.Select(TestBatches.BaseOffset));
    }

    [Fact]
    public void MidBatchFetchReturnsTheWholeContainingBatch()
    {
        var config = LogConfig.Default with { IndexIntervalBytes = 64 };
        using var log = LogFixture.Open(_dir.Sub("orders-0"), config);
        for (var i = 0; i < 20; i++)
        {
            LogFixture.AppendSimple(log, 10);
        }

        using var read = log.Read(57, 1 << 20);
        var batches = TestBatches.Split(read.Records.Span);
        Assert.Equal(50, read.FirstBatchOffset);
        Assert.Equal(50, TestBatches.BaseOffset(batches[0]));
        Assert.Equal(59, TestBatches.LastOffset(batches[0]));
        Assert.Equal(15, batches.Count);
    }

    [Fact]
    public void MaxBytesReturnsWholeBatchesOnlyAndMinOneBatchOverridesIt()
    {
        using var log = LogFixture.Open(_dir.Sub("orders-0"));
        var size = TestBatches.Simple(10).Length;
        for (var i = 0; i < 5; i++)
        {
            LogFixture.AppendSimple(log, 10);
        }

        using (var two = log.Read(0, (2 * size) + (size / 2)))
        {
            Assert.Equal(2 * size, two.Records.Length);
        }

        using (var small = log.Read(0, size / 2, minOneBatch: true))
        {
            Assert.Equal(size, small.Records.Length);
        }

        using (var none = log.Read(0, size / 2, minOneBatch: false))
        {
            Assert.Equal(ReadStatus.Ok, none.Status);
            Assert.True(none.Records.IsEmpty);
        }
    }

    [Fact]
    public void MaxOffsetStopsBeforeBatchesAtOrAboveTheHighWatermark()
    {
        using var log = LogFixture.Open(_dir.Sub("orders-0"));
        for (var i = 0; i < 4; i++)
        {
            LogFixture.AppendSimple(log, 5);
        }

        using var read = log.Read(0, 1 << 20, maxOffset: 10);
        Assert.Equal([0L, 5L], TestBatches.Split(read.Records.Span).Select(TestBatches.BaseOffset));

        using var atHw = log.Read(10, 1 << 20, maxOffset: 10);
        Assert.True(atHw.Records.IsEmpty);
    }

    [Fact]
    public void OffsetsOutsideTheLogAreOutOfRange()
    {
        using var log = LogFixture.Open(_dir.Sub("orders-0"));
        LogFixture.AppendSimple(log, 5);
        LogFixture.AppendSimple(log, 5);
        log.DeleteRecordsBefore(5);

        using (var below = log.Read(4, 1000))
        {
            Assert.Equal(ReadStatus.OffsetOutOfRange, below.Status);
        }

        using (var above = log.Read(11, 1000))
        {
            Assert.Equal(ReadStatus.OffsetOutOfRange, above.Status);
        }

        using var atEnd = log.Read(10, 1000);
        Assert.Equal(ReadStatus.Ok, atEnd.Status);
        Assert.True(atEnd.Records.IsEmpty);
        Assert.Equal(5, atEnd.LogStartOffset);
        Assert.Equal(10, atEnd.LogEndOffset);
    }

    [Fact]
    public void LeaderEpochIsStampedWithoutBreakingTheCrc()
    {
        using var log = LogFixture.Open(_dir.Sub("orders-0"));
        log.Append(TestBatches.Simple(3), leaderEpoch: 7);
        using var read = log.Read(0, 1000);
        var batch = TestBatches.Split(read.Records.Span).Single(); // Split checks the CRC
        Assert.Equal(7, BinaryPrimitives.ReadInt32BigEndian(batch.AsSpan(12)));
    }

    [Fact]
    public void LogAppendTimeStampsMaxTimestampAndRecomputesCrc()
    {
        var time = new ManualTimeProvider();
        var config = LogConfig.Default with { MessageTimestampType = MessageTimestampType.LogAppendTime };
        using var log = LogFixture.Open(_dir.Sub("orders-0"), config, time);
        var result = LogFixture.AppendSimple(log, 3, timestamp: 5);
        Assert.Equal(time.NowMs, result.LogAppendTimeMs);

        using var read = log.Read(0, 1000);
        var batch = TestBatches.Split(read.Records.Span).Single();
        Assert.Equal(time.NowMs, BinaryPrimitives.ReadInt64BigEndian(batch.AsSpan(35)));
        Assert.NotEqual(0, BinaryPrimitives.ReadInt16BigEndian(batch.AsSpan(21)) & 0x08);
    }

    [Fact]
    public void MalformedOrOversizedAppendsAreRejectedWithTypedErrors()
    {
        var config = LogConfig.Default with { MaxMessageBytes = 200 };
        using var log = LogFixture.Open(_dir.Sub("orders-0"), config);
        var good = TestBatches.Simple(1);

        var truncated = good[..(good.Length - 3)];
        Assert.Equal(StorageError.CorruptRecord, Assert.Throws<StorageException>(() => log.Append(truncated)).Error);

        var badMagic = (byte[])good.Clone();
        badMagic[16] = 1;
        Assert.Equal(StorageError.CorruptRecord, Assert.Throws<StorageException>(() => log.Append(badMagic)).Error);

        Assert.Equal(StorageError.RecordTooLarge, Assert.Throws<StorageException>(() => log.Append(TestBatches.Simple(40))).Error);
        Assert.Equal(StorageError.CorruptRecord, Assert.Throws<StorageException>(() => log.Append([])).Error);
        Assert.Equal(0, log.LogEndOffset);
    }

    [Fact]
    public void FollowerAppendKeepsOffsetsAndRejectsGoingBackwards()
    {
        using var log = LogFixture.Open(_dir.Sub("orders-0"));
        var first = TestBatches.Build([TestRecord.Of("a", "1", 1), TestRecord.Of("b", "2", 2)], baseOffset: 0);
        var second = TestBatches.Build([TestRecord.Of("c", "3", 3)], baseOffset: 10); // a gap, as after compaction on the leader
        var result = log.AppendAsFollower(TestBatches.Concat(first, second));
        Assert.Equal(0, result.FirstOffset);
        Assert.Equal(10, result.LastOffset);
        Assert.Equal(11, log.LogEndOffset);
        Assert.Equal([0L, 1L, 10L], LogFixture.ReadAll(log).Select(r => r.Offset));

        var stale = TestBatches.Build([TestRecord.Of("d", "4", 4)], baseOffset: 5);
        Assert.Equal(StorageError.InvalidAppendOffset, Assert.Throws<StorageException>(() => log.AppendAsFollower(stale)).Error);
    }

    [Fact]
    public void TimeBasedRollStartsANewSegment()
    {
        var time = new ManualTimeProvider();
        var config = LogConfig.Default with { SegmentMs = 1000 };
        using var log = LogFixture.Open(_dir.Sub("orders-0"), config, time);
        LogFixture.AppendSimple(log, 2);
        time.Advance(999);
        LogFixture.AppendSimple(log, 2);
        Assert.Equal(1, log.SegmentCount);
        time.Advance(1);
        LogFixture.AppendSimple(log, 2);
        Assert.Equal([0L, 4L], log.SegmentBaseOffsets);
    }

    [Fact]
    public void FullOffsetIndexRollsTheSegment()
    {
        var config = LogConfig.Default with { SegmentIndexBytes = 3 * 8, IndexIntervalBytes = 1 };
        using var log = LogFixture.Open(_dir.Sub("orders-0"), config);
        for (var i = 0; i < 10; i++)
        {
            LogFixture.AppendSimple(log, 1);
        }

        Assert.True(log.SegmentCount >= 3);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), LogFixture.ReadAll(log).Select(r => r.Offset));
    }
}
