using Tributary.Broker.Raft;
using Tributary.Protocol.Records;
using Xunit;

namespace Tributary.Broker.Tests.Raft;

/// <summary>The <see cref="IRaftLog"/> contract; each implementation's test class derives from it.</summary>
public abstract class RaftLogContractTests
{
    protected abstract IRaftLog NewLog();

    protected static byte[] Batch(long baseOffset, int epoch, int records)
    {
        using var builder = new RecordBatchBuilder { BaseOffset = baseOffset, PartitionLeaderEpoch = epoch };
        for (var i = 0; i < records; i++)
        {
            builder.AppendValue(0, [(byte)i]);
        }

        return builder.ToArray();
    }

    /// <summary>Epoch 1: offsets 0-1, epoch 3: 2-4, epoch 4: 5.</summary>
    protected IRaftLog Sample()
    {
        var log = NewLog();
        log.Append(Batch(0, 1, 2));
        log.Append(Batch(2, 3, 2));
        log.Append(Batch(4, 3, 1));
        log.Append(Batch(5, 4, 1));
        return log;
    }

    [Fact]
    public void TracksOffsetsAndEpochs()
    {
        var log = Sample();
        Assert.Equal(0, log.StartOffset);
        Assert.Equal(6, log.EndOffset);
        Assert.Equal(4, log.LastEpoch);
        Assert.Equal(3, log.EpochOf(4));
        Assert.Null(log.EpochOf(6));
        Assert.True(log.IsBatchBoundary(4));
        Assert.False(log.IsBatchBoundary(3));
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(1, 1, 2)]
    [InlineData(2, 1, 2)]
    [InlineData(3, 3, 5)]
    [InlineData(4, 4, 6)]
    [InlineData(9, 4, 6)]
    public void EndOffsetForEpochIsTheEndOfTheLargestEpochAtOrBelow(int epoch, int expectedEpoch, long expectedEnd)
    {
        Assert.Equal(new RaftEpochEnd(expectedEpoch, expectedEnd), Sample().EndOffsetForEpoch(epoch));
    }

    [Fact]
    public void RejectsOutOfPlaceBatches()
    {
        var log = Sample();
        Assert.Throws<ArgumentException>(() => log.Append(Batch(7, 4, 1)));
        Assert.Throws<ArgumentException>(() => log.Append(Batch(6, 2, 1)));
        Assert.Throws<Tributary.Protocol.Primitives.ProtocolException>(() => log.Append(new byte[10]));
    }

    [Fact]
    public void TruncatesWholeBatchesAndReadsThemBack()
    {
        var log = Sample();
        log.TruncateTo(4);
        Assert.Equal(4, log.EndOffset);
        Assert.Equal(3, log.LastEpoch);
        var bytes = log.Read(1, 1);
        Assert.Equal(0, new RecordBatch(bytes.Span).BaseOffset); // the batch holding offset 1, whole
        var batches = RaftSimulator.BatchesOf(log);
        Assert.Equal(batches[0].Hex.Length / 2, bytes.Length); // one batch even when over the limit
        Assert.Equal(batches.Sum(b => b.Hex.Length / 2), log.Read(0, int.MaxValue).Length);
        Assert.True(log.Read(4, 100).IsEmpty);
    }

    [Fact]
    public void SnapshotReplacesThePrefix()
    {
        var log = Sample();
        log.CreateSnapshot(new RaftSnapshotId(4, 3), [7, 7]);
        Assert.Equal(4, log.StartOffset);
        Assert.Equal(6, log.EndOffset);
        Assert.Equal(2, RaftSimulator.BatchesOf(log).Count);
        Assert.Equal(new RaftEpochEnd(3, 5), log.EndOffsetForEpoch(3));
        Assert.Null(log.EndOffsetForEpoch(2)); // history before the snapshot is gone
        Assert.True(log.TryReadSnapshot(new RaftSnapshotId(4, 3), out var state));
        Assert.Equal([7, 7], state.ToArray());
        Assert.False(log.TryReadSnapshot(new RaftSnapshotId(4, 2), out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.TruncateTo(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.CreateSnapshot(new RaftSnapshotId(4, 3), []));
    }

    [Fact]
    public void InstalledSnapshotLeavesAnEmptyLogAtItsEnd()
    {
        var log = Sample();
        log.InstallSnapshot(new RaftSnapshotId(50, 9), [1]);
        Assert.Equal(50, log.StartOffset);
        Assert.Equal(50, log.EndOffset);
        Assert.Equal(9, log.LastEpoch);
        Assert.Equal(new RaftEpochEnd(9, 50), log.EndOffsetForEpoch(12));
        log.Append(Batch(50, 10, 1));
        Assert.Equal(51, log.EndOffset);
    }
}
