namespace Tributary.Storage.Tests;

public sealed class LeaderEpochCacheTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AppendsRecordEpochsAndTheCheckpointSurvivesReopen()
    {
        var dir = _dir.Sub("orders-0");
        using (var log = LogFixture.Open(dir))
        {
            log.Append(TestBatches.Simple(3), leaderEpoch: 1);   // 0-2
            log.Append(TestBatches.Simple(2), leaderEpoch: 1);   // 3-4
            log.Append(TestBatches.Simple(4), leaderEpoch: 3);   // 5-8
            Assert.Equal([new EpochEntry(1, 0), new EpochEntry(3, 5)], log.LeaderEpochs.Entries);
            log.Close();
        }

        Assert.Equal(["0", "2", "1 0", "3 5"], File.ReadAllLines(Path.Combine(dir, LeaderEpochCache.FileName)));
        using var reopened = LogFixture.Open(dir, recoveryPoint: 9);
        var cache = reopened.LeaderEpochs;
        Assert.Equal(3, cache.LatestEpoch);
        Assert.Equal(new EpochEntry(3, 9), cache.EndOffsetFor(3, reopened.LogEndOffset));
        Assert.Equal(new EpochEntry(1, 5), cache.EndOffsetFor(1, 9));
        Assert.Equal(new EpochEntry(1, 5), cache.EndOffsetFor(2, 9)); // unknown epoch 2: ends where 3 starts
        Assert.Equal(new EpochEntry(0, 0), cache.EndOffsetFor(0, 9));
        Assert.Equal(new EpochEntry(-1, -1), cache.EndOffsetFor(4, 9));
    }

    [Fact]
    public void FollowerAppendsTruncationAndDeleteRecordsKeepTheCacheInStep()
    {
        using var log = LogFixture.Open(_dir.Sub("orders-0"));
        log.AppendAsFollower(TestBatches.Concat(
            TestBatches.Build([TestRecord.Of("a", "1", 1), TestRecord.Of("b", "2", 1)], baseOffset: 0, partitionLeaderEpoch: 2),
            TestBatches.Build([TestRecord.Of("c", "3", 1)], baseOffset: 2, partitionLeaderEpoch: 4),
            TestBatches.Build([TestRecord.Of("d", "4", 1)], baseOffset: 3, partitionLeaderEpoch: 5)));
        Assert.Equal([new EpochEntry(2, 0), new EpochEntry(4, 2), new EpochEntry(5, 3)], log.LeaderEpochs.Entries);

        log.TruncateTo(3);
        Assert.Equal([new EpochEntry(2, 0), new EpochEntry(4, 2)], log.LeaderEpochs.Entries);

        log.DeleteRecordsBefore(1);
        Assert.Equal([new EpochEntry(2, 1), new EpochEntry(4, 2)], log.LeaderEpochs.Entries);

        log.TruncateFullyAndStartAt(10);
        Assert.Empty(log.LeaderEpochs.Entries);
    }

    [Fact]
    public void TruncatingAtTheLogEndDropsAnEpochWithoutRecords()
    {
        using var log = LogFixture.Open(_dir.Sub("orders-0"));
        log.Append(TestBatches.Simple(3), leaderEpoch: 1);
        log.LeaderEpochs.Assign(4, log.LogEndOffset); // led epoch 4, lost it before any write

        log.TruncateTo(3);
        Assert.Equal([new EpochEntry(1, 0)], log.LeaderEpochs.Entries);
        Assert.Equal(1, log.LeaderEpochs.LatestEpoch);
        Assert.Equal(3, log.LogEndOffset);

        log.TruncateTo(10); // past the end: nothing to cut
        Assert.Equal([new EpochEntry(1, 0)], log.LeaderEpochs.Entries);
        Assert.Equal(3, log.LogEndOffset);
    }

    [Fact]
    public void RecoveryTruncationAlsoTruncatesTheEpochs()
    {
        var dir = _dir.Sub("orders-0");
        using (var log = LogFixture.Open(dir))
        {
            log.Append(TestBatches.Simple(3), leaderEpoch: 1);
            log.Append(TestBatches.Simple(3), leaderEpoch: 2);
            log.Close();
        }

        // Tear the last batch (epoch 2) in half.
        var file = Directory.GetFiles(dir, "*.log").Single();
        var length = new FileInfo(file).Length;
        using (var stream = new FileStream(file, FileMode.Open))
        {
            stream.SetLength(length - 10);
        }

        using var reopened = LogFixture.Open(dir);
        Assert.Equal(3, reopened.LogEndOffset);
        Assert.Equal([new EpochEntry(1, 0)], reopened.LeaderEpochs.Entries);
    }
}
