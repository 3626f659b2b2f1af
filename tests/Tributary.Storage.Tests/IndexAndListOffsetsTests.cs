namespace Tributary.Storage.Tests;

public sealed class IndexAndListOffsetsTests : IDisposable
{
    private static readonly LogConfig SmallSegments = LogConfig.Default with { SegmentBytes = 2048, IndexIntervalBytes = 100 };

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void IndexLookupsWorkAfterACleanReopen()
    {
        var dir = _dir.Sub("orders-0");
        using (var log = LogFixture.Open(dir, SmallSegments))
        {
            for (var i = 0; i < 100; i++)
            {
                LogFixture.AppendSimple(log, 4, timestamp: 10_000 + (i * 10));
            }

            log.Close();
        }

        Assert.All(Directory.GetFiles(dir, "*.log"), f =>
        {
            Assert.True(File.Exists(Path.ChangeExtension(f, ".index")));
            Assert.True(File.Exists(Path.ChangeExtension(f, ".timeindex")));
        });
        Assert.Contains(Directory.GetFiles(dir, "*.index"), f => new FileInfo(f).Length > 0);

        using var reopened = LogFixture.Open(dir, SmallSegments, recoveryPoint: 400);
        Assert.Equal(0, reopened.TruncatedOnRecovery);
        Assert.Equal(400, reopened.LogEndOffset);
        foreach (var offset in new long[] { 0, 1, 3, 4, 157, 222, 303, 399 })
        {
            using var read = reopened.Read(offset, 1);
            var batch = TestBatches.Split(read.Records.Span).Single();
            Assert.Equal(offset / 4 * 4, TestBatches.BaseOffset(batch));
        }

        var appended = LogFixture.AppendSimple(reopened, 1);
        Assert.Equal(400, appended.FirstOffset);
    }

    [Fact]
    public void ListOffsetsByTimestampFindsTheFirstRecordAtOrAfterTheTarget()
    {
        using var log = LogFixture.Open(_dir.Sub("orders-0"), SmallSegments);
        for (var i = 0; i < 100; i++)
        {
            // Batch i holds timestamps 10_000 + 10i .. +3 at offsets 4i .. 4i+3.
            LogFixture.AppendSimple(log, 4, timestamp: 10_000 + (i * 10));
        }

        Assert.True(log.SegmentCount > 3);
        Assert.Equal(new TimestampAndOffset(10_000, 0), log.FetchOffsetByTimestamp(0));
        Assert.Equal(new TimestampAndOffset(10_500, 200), log.FetchOffsetByTimestamp(10_500));
        Assert.Equal(new TimestampAndOffset(10_502, 202), log.FetchOffsetByTimestamp(10_502));
        Assert.Equal(new TimestampAndOffset(10_510, 204), log.FetchOffsetByTimestamp(10_504)); // between batches
        Assert.Equal(new TimestampAndOffset(10_993, 399), log.FetchOffsetByTimestamp(10_993));
        Assert.Null(log.FetchOffsetByTimestamp(10_994));

        Assert.Equal(new TimestampAndOffset(-1, 0), log.FetchOffsetByTimestamp(ListOffsetsTimestamp.Earliest));
        Assert.Equal(new TimestampAndOffset(-1, 400), log.FetchOffsetByTimestamp(ListOffsetsTimestamp.Latest));
        Assert.Equal(new TimestampAndOffset(10_993, 399), log.FetchOffsetByTimestamp(ListOffsetsTimestamp.MaxTimestamp));
    }

    [Fact]
    public void ListOffsetsByTimestampSurvivesReopenAndRespectsLogStart()
    {
        var dir = _dir.Sub("orders-0");
        using (var log = LogFixture.Open(dir, SmallSegments))
        {
            for (var i = 0; i < 50; i++)
            {
                LogFixture.AppendSimple(log, 4, timestamp: 10_000 + (i * 10));
            }

            log.Close();
        }

        using var reopened = LogFixture.Open(dir, SmallSegments, recoveryPoint: 200, logStart: 101);
        // Offset 100 (timestamp 10_250) is below the log start: the answer is the next record.
        Assert.Equal(new TimestampAndOffset(10_251, 101), reopened.FetchOffsetByTimestamp(10_250));
        Assert.Equal(101, reopened.FetchOffsetByTimestamp(0)!.Value.Offset);
        Assert.Equal(new TimestampAndOffset(10_302, 122), reopened.FetchOffsetByTimestamp(10_302));
    }

    [Fact]
    public void MaxTimestampPointsAtTheRecordWithTheLargestTimestamp()
    {
        using var log = LogFixture.Open(_dir.Sub("orders-0"));
        LogFixture.AppendRecords(log, TestRecord.Of("a", "1", 100), TestRecord.Of("b", "2", 900), TestRecord.Of("c", "3", 200));
        LogFixture.AppendRecords(log, TestRecord.Of("d", "4", 300));
        Assert.Equal(new TimestampAndOffset(900, 1), log.FetchOffsetByTimestamp(ListOffsetsTimestamp.MaxTimestamp));
    }
}
