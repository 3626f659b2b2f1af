namespace Tributary.Storage.Tests;

public sealed class ProducerStateTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void SnapshotsRoundTripAndDetectCorruption()
    {
        Directory.CreateDirectory(_dir.Sub("p"));
        var entry = new ProducerStateEntry(1001, 3) { CoordinatorEpoch = 7, CurrentTxnFirstOffset = 40 };
        for (var i = 0; i < 7; i++)
        {
            entry.AddBatch(new ProducerBatchMetadata(i * 10, (i * 10) + 9, 100 + (i * 10), 9, 5_000 + i));
        }

        var other = new ProducerStateEntry(2002, 0);
        ProducerStateSnapshot.Write(_dir.Sub("p"), 170, [entry, other]);

        var path = ProducerStateSnapshot.PathFor(_dir.Sub("p"), 170);
        Assert.EndsWith("00000000000000000170.snapshot", path);
        Assert.Equal([170L], ProducerStateSnapshot.List(_dir.Sub("p")));
        var read = ProducerStateSnapshot.Read(path);
        Assert.Equal(2, read.Count);
        var back = read.Single(e => e.ProducerId == 1001);
        Assert.Equal(3, back.ProducerEpoch);
        Assert.Equal(7, back.CoordinatorEpoch);
        Assert.Equal(40, back.CurrentTxnFirstOffset);
        Assert.Equal(5_006, back.LastTimestamp);
        Assert.Equal(entry.Batches, back.Batches); // only the last five are kept
        Assert.Equal(ProducerStateEntry.MaxBatches, back.Batches.Count);
        Assert.Equal(20, back.Batches[0].FirstSequence);
        Assert.Empty(read.Single(e => e.ProducerId == 2002).Batches);

        var bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 1;
        File.WriteAllBytes(path, bytes);
        Assert.Equal(StorageError.CorruptCheckpoint, Assert.Throws<StorageException>(() => ProducerStateSnapshot.Read(path)).Error);
        File.WriteAllBytes(path, bytes[..5]);
        Assert.Equal(StorageError.CorruptCheckpoint, Assert.Throws<StorageException>(() => ProducerStateSnapshot.Read(path)).Error);
    }

    [Fact]
    public void StateIsRebuiltFromTheLogAlone()
    {
        using var log = LogFixture.Open(_dir.Sub("orders-0"));
        AppendIdempotent(log, producerId: 5, epoch: 0, firstSequence: 0, count: 3);  // offsets 0-2
        AppendIdempotent(log, producerId: 5, epoch: 0, firstSequence: 3, count: 2);  // 3-4
        AppendIdempotent(log, producerId: 6, epoch: 2, firstSequence: 0, count: 1);  // 5
        LogFixture.AppendSimple(log, 2);                                             // 6-7, no producer
        AppendIdempotent(log, producerId: 5, epoch: 1, firstSequence: 0, count: 1);  // 8, a new epoch resets

        var map = ProducerStateMap.Load(log);
        Assert.Equal(9, map.MapEndOffset);
        var p5 = map.Producers[5];
        Assert.Equal(1, p5.ProducerEpoch);
        Assert.Equal([new ProducerBatchMetadata(0, 0, 8, 0, 1_000)], p5.Batches);
        var p6 = map.Producers[6];
        Assert.Equal(2, p6.ProducerEpoch);
        Assert.Equal(5, p6.Batches.Single().LastOffset);
    }

    [Fact]
    public void StateIsRebuiltFromASnapshotPlusTheBatchesAfterIt()
    {
        var dir = _dir.Sub("orders-0");
        using (var log = LogFixture.Open(dir))
        {
            AppendIdempotent(log, producerId: 5, epoch: 0, firstSequence: 0, count: 3);
            AppendIdempotent(log, producerId: 5, epoch: 0, firstSequence: 3, count: 3);
            var map = ProducerStateMap.Load(log);
            map.TakeSnapshot(dir);
            Assert.True(File.Exists(ProducerStateSnapshot.PathFor(dir, 6)));

            // A transaction after the snapshot: data, then a commit marker.
            log.Append(TestBatches.Build([TestRecord.Of("k", "v", 2_000)], producerId: 5, producerEpoch: 0, baseSequence: 6, attributes: TestBatches.TransactionalFlag));
            log.Append(TestBatches.Build([TestRecord.Of("k", "v", 2_001)], producerId: 9, producerEpoch: 0, baseSequence: 0, attributes: TestBatches.TransactionalFlag));
            log.Append(TestBatches.Marker(5, 0, commit: true, coordinatorEpoch: 4, timestamp: 2_002));
            log.Close();
        }

        using var reopened = LogFixture.Open(dir, recoveryPoint: 9);
        var rebuilt = ProducerStateMap.Load(reopened);
        Assert.Equal(9, rebuilt.MapEndOffset);
        var p5 = rebuilt.Producers[5];
        Assert.Equal([0, 3, 6], p5.Batches.Select(b => b.FirstSequence));
        Assert.Equal(-1, p5.CurrentTxnFirstOffset); // committed
        Assert.Equal(4, p5.CoordinatorEpoch);
        Assert.Equal(7, rebuilt.Producers[9].CurrentTxnFirstOffset); // still open

        // The log itself keeps the state: a clean close wrote a snapshot at the log end.
        Assert.True(File.Exists(ProducerStateSnapshot.PathFor(dir, 9)));
        Assert.Equal([0, 3, 6], reopened.ProducerState.Producers[5].Batches.Select(b => b.FirstSequence));

        // Snapshots really are used: a snapshot's contents win over the log for its prefix.
        ProducerStateSnapshot.Write(dir, 9, [new ProducerStateEntry(77, 1)]);
        ProducerStateSnapshot.Write(dir, 6, [new ProducerStateEntry(88, 1)]);
        Assert.Equal([77L], ProducerStateMap.Load(reopened).Producers.Keys);
        File.Delete(ProducerStateSnapshot.PathFor(dir, 9));
        Assert.Equal([5L, 9L, 88L], ProducerStateMap.Load(reopened).Producers.Keys.Order());
    }

    [Fact]
    public void SnapshotsBeyondTheLogEndAreDiscardedAfterTruncation()
    {
        var dir = _dir.Sub("orders-0");
        using var log = LogFixture.Open(dir);
        AppendIdempotent(log, producerId: 5, epoch: 0, firstSequence: 0, count: 3);
        AppendIdempotent(log, producerId: 5, epoch: 0, firstSequence: 3, count: 3);
        ProducerStateMap.Load(log).TakeSnapshot(dir);
        log.TruncateTo(3);

        var map = ProducerStateMap.Load(log);
        Assert.False(File.Exists(ProducerStateSnapshot.PathFor(dir, 6)));
        Assert.Equal([0], map.Producers[5].Batches.Select(b => b.FirstSequence));
    }

    [Theory]
    [InlineData(0, 4, 4)]
    [InlineData(int.MaxValue, 1, 0)]
    [InlineData(int.MaxValue - 1, 3, 1)]
    public void SequencesWrapAround(int sequence, int increment, int expected) =>
        Assert.Equal(expected, ProducerStateMap.IncrementSequence(sequence, increment));

    private static void AppendIdempotent(PartitionLog log, long producerId, short epoch, int firstSequence, int count) =>
        log.Append(TestBatches.Build([.. Enumerable.Range(0, count).Select(i => TestRecord.Of($"k{i}", "v", 1_000 + i))], producerId: producerId, producerEpoch: epoch, baseSequence: firstSequence));
}
