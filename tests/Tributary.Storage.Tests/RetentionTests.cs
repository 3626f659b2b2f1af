namespace Tributary.Storage.Tests;

public sealed class RetentionTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TimeRetentionDeletesSegmentsOlderThanRetentionMsButNeverTheActiveOne()
    {
        var time = new ManualTimeProvider();
        var config = LogConfig.Default with { SegmentBytes = 300, RetentionMs = 10_000, FileDeleteDelayMs = 0 };
        using var log = LogFixture.Open(_dir.Sub("orders-0"), config, time);
        var start = time.NowMs;
        for (var i = 0; i < 12; i++)
        {
            LogFixture.AppendSimple(log, 5, timestamp: start + (i * 1_000));
        }

        var segments = log.SegmentCount;
        Assert.True(segments >= 4);
        Assert.Equal(0, log.DeleteOldSegments());

        // Segments whose newest record is more than 10 s old go.
        time.Advance(15_500);
        var removed = log.DeleteOldSegments();
        Assert.True(removed > 0);
        Assert.Equal(log.SegmentBaseOffsets[0], log.LogStartOffset);
        // Two batches per segment: batches 0-5 (newest timestamp start + 5_004) expired, batch 6 on remain.
        var remaining = LogFixture.ReadAll(log);
        Assert.Equal(3, removed);
        Assert.Equal(30, remaining[0].Offset);
        Assert.Equal(start + 6_000, remaining[0].Timestamp);
        Assert.Equal(59, remaining[^1].Offset);
        Assert.Equal(segments - removed, Directory.GetFiles(log.Directory, "*.log").Length);

        // Far in the future everything but the active segment is gone.
        time.Advance(1_000_000);
        log.DeleteOldSegments();
        Assert.Equal(1, log.SegmentCount);
        Assert.Equal(60, log.LogEndOffset);
        using var read = log.Read(log.LogStartOffset, 1 << 20);
        Assert.False(read.Records.IsEmpty);
    }

    [Fact]
    public void SizeRetentionDropsOldestSegmentsBeyondRetentionBytes()
    {
        var config = LogConfig.Default with { SegmentBytes = 1000, RetentionBytes = 2500, RetentionMs = -1, FileDeleteDelayMs = 0 };
        using var log = LogFixture.Open(_dir.Sub("orders-0"), config);
        for (var i = 0; i < 40; i++)
        {
            LogFixture.AppendSimple(log, 4);
        }

        Assert.True(log.Size > 2500);
        var removed = log.DeleteOldSegments();
        Assert.True(removed > 0);
        // Kafka's rule: drop whole oldest segments only while what remains is still at least
        // retention.bytes, so the log ends between retention.bytes and retention.bytes + one segment.
        Assert.True(log.Size >= 2500, $"size {log.Size}");
        Assert.True(log.Size - 1000 < 2500, $"size {log.Size}");
        Assert.Equal(log.SegmentBaseOffsets[0], log.LogStartOffset);
        Assert.Equal(160, log.LogEndOffset);
    }

    [Fact]
    public void CompactOnlyPolicyIgnoresRetention()
    {
        var time = new ManualTimeProvider();
        var config = LogConfig.Default with { SegmentBytes = 500, RetentionMs = 1, RetentionBytes = 1, CleanupPolicy = CleanupPolicy.Compact };
        using var log = LogFixture.Open(_dir.Sub("orders-0"), config, time);
        for (var i = 0; i < 10; i++)
        {
            LogFixture.AppendSimple(log, 4, timestamp: time.NowMs);
        }

        time.Advance(1_000_000);
        Assert.Equal(0, log.DeleteOldSegments());
    }

    [Fact]
    public void DeleteRecordsBeforeAdvancesLogStartAndDropsWholeSegmentsBelowIt()
    {
        var config = LogConfig.Default with { SegmentBytes = 600, FileDeleteDelayMs = 0 };
        using var log = LogFixture.Open(_dir.Sub("orders-0"), config);
        for (var i = 0; i < 20; i++)
        {
            LogFixture.AppendSimple(log, 5);
        }

        var bases = log.SegmentBaseOffsets;
        var target = bases[2] + 2;
        Assert.Equal(target, log.DeleteRecordsBefore(target));
        Assert.Equal(target, log.LogStartOffset);
        Assert.Equal(bases[2], log.SegmentBaseOffsets[0]);

        using (var read = log.Read(target - 1, 1000))
        {
            Assert.Equal(ReadStatus.OffsetOutOfRange, read.Status);
        }

        using (var read = log.Read(target, 1000))
        {
            Assert.Equal(target - 2, read.FirstBatchOffset); // the batch containing the new start
        }

        Assert.Equal(target, log.DeleteRecordsBefore(1)); // never moves backwards
        Assert.Equal(StorageError.OffsetOutOfRange, Assert.Throws<StorageException>(() => log.DeleteRecordsBefore(101)).Error);

        Assert.Equal(100, log.DeleteRecordsBefore(100));
        Assert.Equal(1, log.SegmentCount);
        Assert.Equal(100, log.LogEndOffset);
        Assert.Equal(100, LogFixture.AppendSimple(log, 1).FirstOffset);
    }

    [Fact]
    public void RemovedSegmentsStayReadableUntilTheDeleteDelayPasses()
    {
        var time = new ManualTimeProvider();
        var config = LogConfig.Default with { SegmentBytes = 600, FileDeleteDelayMs = 60_000 };
        using var log = LogFixture.Open(_dir.Sub("orders-0"), config, time);
        for (var i = 0; i < 10; i++)
        {
            LogFixture.AppendSimple(log, 5);
        }

        log.DeleteRecordsBefore(log.SegmentBaseOffsets[1]);
        Assert.Single(Directory.GetFiles(log.Directory, "*.log.deleted"));
        log.DeletePendingFiles();
        Assert.Single(Directory.GetFiles(log.Directory, "*.log.deleted"));
        time.Advance(60_000);
        log.DeletePendingFiles();
        Assert.Empty(Directory.GetFiles(log.Directory, "*.deleted"));
    }
}
