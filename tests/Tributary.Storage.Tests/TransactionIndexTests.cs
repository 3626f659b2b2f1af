namespace Tributary.Storage.Tests;

public sealed class TransactionIndexTests : IDisposable
{
    private static readonly LogConfig Config = LogConfig.Default with { SegmentBytes = 500, FileDeleteDelayMs = 0 };

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Dir => _dir.Sub("orders-0");

    [Fact]
    public void AbortMarkersAreIndexedAndOpenTransactionsBoundTheStableOffset()
    {
        using var log = LogFixture.Open(Dir, Config);
        WriteTransactions(log);

        Assert.Equal(new AbortedTransaction(7, 1, 5, 3), log.CollectAbortedTransactions(0, long.MaxValue).Single());
        Assert.Equal(3, log.FirstUnstableOffset); // producer 8's transaction is still open
        Assert.Empty(log.CollectAbortedTransactions(6, long.MaxValue));
        Assert.Empty(log.CollectAbortedTransactions(0, 1));
        Assert.Single(log.CollectAbortedTransactions(5, 6));

        log.Append(TestBatches.Marker(8, 0, commit: true, coordinatorEpoch: 1, timestamp: 9));
        Assert.Null(log.FirstUnstableOffset);
        Assert.Single(log.CollectAbortedTransactions(0, long.MaxValue));
    }

    [Fact]
    public void TheIndexIsRebuiltByRecoveryAndSurvivesCleanRestarts()
    {
        using (var log = LogFixture.Open(Dir, Config))
        {
            WriteTransactions(log);
            for (var i = 0; i < 10; i++)
            {
                LogFixture.AppendSimple(log, 3); // roll past the markers
            }

            log.Close();
        }

        var expected = new AbortedTransaction(7, 1, 5, 3);
        using (var clean = LogFixture.Open(Dir, Config, recoveryPoint: long.MaxValue))
        {
            Assert.Equal(expected, clean.CollectAbortedTransactions(0, long.MaxValue).Single());
            Assert.Equal(3, clean.FirstUnstableOffset);
        }

        // Lose every index and snapshot: full recovery replays the log and rebuilds them.
        foreach (var file in Directory.GetFiles(Dir).Where(f => f.EndsWith(".txnindex", StringComparison.Ordinal) || f.EndsWith(".snapshot", StringComparison.Ordinal)))
        {
            File.Delete(file);
        }

        using var recovered = LogFixture.Open(Dir, Config, recoveryPoint: 0);
        Assert.Equal(expected, recovered.CollectAbortedTransactions(0, long.MaxValue).Single());
        Assert.Equal(3, recovered.FirstUnstableOffset);
        Assert.Equal(3, recovered.ProducerState.Producers[8].CurrentTxnFirstOffset);
    }

    [Fact]
    public void TruncationDropsAbortsAtOrAfterTheNewEnd()
    {
        using var log = LogFixture.Open(Dir, Config);
        WriteTransactions(log);
        log.TruncateTo(5); // removes the abort marker
        Assert.Empty(log.CollectAbortedTransactions(0, long.MaxValue));
        Assert.Equal(1, log.FirstUnstableOffset); // producer 7's transaction is open again
    }

    [Fact]
    public void CompactionKeepsTheAbortedTransactionEntries()
    {
        var time = new ManualTimeProvider();
        using var log = LogFixture.Open(Dir, Config with { CleanupPolicy = CleanupPolicy.Compact }, time);
        WriteTransactions(log);
        log.Append(TestBatches.Marker(8, 0, commit: true, coordinatorEpoch: 1, timestamp: 9));
        for (var i = 0; i < 10; i++)
        {
            LogFixture.AppendRecords(log, TestRecord.Of("k", $"v{i}", 10));
        }

        Assert.True(log.Compact() > 0);
        Assert.Equal(new AbortedTransaction(7, 1, 5, 3), log.CollectAbortedTransactions(0, long.MaxValue).Single());
    }

    /// <summary>
    /// Offsets: 0 plain, 1-2 txn data of producer 7, 3-4 txn data of producer 8, 5 abort of 7.
    /// </summary>
    private static void WriteTransactions(PartitionLog log)
    {
        LogFixture.AppendSimple(log, 1);
        log.Append(TestBatches.Build([TestRecord.Of("a", "1", 2), TestRecord.Of("b", "2", 2)], producerId: 7, producerEpoch: 0, baseSequence: 0, attributes: TestBatches.TransactionalFlag));
        log.Append(TestBatches.Build([TestRecord.Of("c", "3", 3), TestRecord.Of("d", "4", 3)], producerId: 8, producerEpoch: 0, baseSequence: 0, attributes: TestBatches.TransactionalFlag));
        log.Append(TestBatches.Marker(7, 0, commit: false, coordinatorEpoch: 1, timestamp: 4));
    }
}
