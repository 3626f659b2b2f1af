namespace Tributary.Storage.Tests;

public sealed class TruncationAndFlushTests : IDisposable
{
    private static readonly LogConfig Config = LogConfig.Default with { SegmentBytes = 600, IndexIntervalBytes = 50, FileDeleteDelayMs = 0 };

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TruncateToRemovesLaterBatchesAndSegments()
    {
        using var log = LogFixture.Open(_dir.Sub("orders-0"), Config);
        for (var i = 0; i < 20; i++)
        {
            LogFixture.AppendSimple(log, 5, timestamp: 1_000 + (i * 10));
        }

        var segments = log.SegmentCount;
        log.TruncateTo(33); // mid-batch: the batch 30-34 goes whole
        Assert.Equal(30, log.LogEndOffset);
        Assert.True(log.SegmentCount < segments);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (long)i), LogFixture.ReadAll(log).Select(r => r.Offset));
        Assert.Null(log.FetchOffsetByTimestamp(1_060));
        Assert.Equal(new TimestampAndOffset(1_054, 29), log.FetchOffsetByTimestamp(ListOffsetsTimestamp.MaxTimestamp));

        Assert.Equal(30, LogFixture.AppendSimple(log, 2, timestamp: 5_000).FirstOffset);
        Assert.Equal(32, log.LogEndOffset);
        Assert.Equal(new TimestampAndOffset(5_000, 30), log.FetchOffsetByTimestamp(2_000));

        log.Close();
        using var reopened = LogFixture.Open(log.Directory, Config, recoveryPoint: 0);
        Assert.Equal(32, reopened.LogEndOffset);
    }

    [Fact]
    public void TruncateFullyRestartsTheLogAtANewOffset()
    {
        using var log = LogFixture.Open(_dir.Sub("orders-0"), Config);
        for (var i = 0; i < 10; i++)
        {
            LogFixture.AppendSimple(log, 5);
        }

        log.TruncateFullyAndStartAt(500);
        Assert.Equal(500, log.LogStartOffset);
        Assert.Equal(500, log.LogEndOffset);
        Assert.Equal([500L], log.SegmentBaseOffsets);
        Assert.Single(Directory.GetFiles(log.Directory, "*.log"));

        log.AppendAsFollower(TestBatches.Build([TestRecord.Of("a", "b", 1)], baseOffset: 500));
        Assert.Equal(501, log.LogEndOffset);
    }

    [Fact]
    public void FlushAdvancesTheRecoveryPointAndFlushMessagesFlushesOnAppend()
    {
        var time = new ManualTimeProvider();
        using var log = LogFixture.Open(_dir.Sub("orders-0"), Config with { FlushMessages = 10 }, time);
        LogFixture.AppendSimple(log, 4);
        Assert.Equal(0, log.RecoveryPoint);
        LogFixture.AppendSimple(log, 4);
        Assert.Equal(0, log.RecoveryPoint);
        LogFixture.AppendSimple(log, 4);
        Assert.Equal(12, log.RecoveryPoint);

        LogFixture.AppendSimple(log, 1);
        log.Flush();
        Assert.Equal(13, log.RecoveryPoint);
    }

    [Fact]
    public void FlushMsFlushesOnlyOnceTheIntervalPassed()
    {
        var time = new ManualTimeProvider();
        using var log = LogFixture.Open(_dir.Sub("orders-0"), Config with { FlushMs = 1_000 }, time);
        LogFixture.AppendSimple(log, 4);
        Assert.False(log.FlushIfDue());
        time.Advance(1_000);
        Assert.True(log.FlushIfDue());
        Assert.Equal(4, log.RecoveryPoint);
        time.Advance(5_000);
        Assert.False(log.FlushIfDue()); // nothing new
    }
}
