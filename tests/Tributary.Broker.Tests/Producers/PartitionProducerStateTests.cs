using Tributary.Broker.Producers;
using Tributary.Protocol;
using Xunit;

namespace Tributary.Broker.Tests.Producers;

public sealed class PartitionProducerStateTests
{
    private const long Pid = 1000;

    /// <summary>Checks a batch and, when it may be appended, appends it at <paramref name="nextOffset"/>.</summary>
    private static SequenceCheckResult Produce(PartitionProducerState state, short epoch, int baseSeq, int records, ref long nextOffset)
    {
        var result = state.CheckAndRecord(Pid, epoch, baseSeq, records - 1);
        if (result.Outcome == SequenceCheckOutcome.Append)
        {
            state.Commit(Pid, epoch, baseSeq, records - 1, nextOffset, 1_000 + nextOffset);
            nextOffset += records;
        }

        return result;
    }

    [Fact]
    public void InOrderBatchesAppendAndRetriesAreDuplicates()
    {
        var state = new PartitionProducerState();
        long offset = 100;
        Assert.Equal(SequenceCheckOutcome.Append, Produce(state, 0, 0, 3, ref offset).Outcome);
        Assert.Equal(SequenceCheckOutcome.Append, Produce(state, 0, 3, 2, ref offset).Outcome);
        Assert.Equal(SequenceCheckOutcome.Append, Produce(state, 0, 5, 1, ref offset).Outcome);
        Assert.Equal(106, offset);

        var dup = Produce(state, 0, 3, 2, ref offset);
        Assert.Equal(SequenceCheckOutcome.Duplicate, dup.Outcome);
        Assert.Equal((103L, 104L), (dup.FirstOffset, dup.LastOffset));
        Assert.Equal(ErrorCode.None, dup.Error);
        Assert.Equal(106, offset); // nothing appended

        var entry = state.Get(Pid)!;
        Assert.Equal(5, entry.LastSequence);
        Assert.Equal(105, entry.LastOffset);
    }

    [Fact]
    public void OnlyTheLastFiveBatchesAreRemembered()
    {
        var state = new PartitionProducerState();
        long offset = 0;
        for (var seq = 0; seq < 6; seq++)
        {
            Produce(state, 0, seq, 1, ref offset);
        }

        Assert.Equal(5, state.Get(Pid)!.Batches.Count);
        Assert.Equal(SequenceCheckOutcome.Duplicate, state.CheckAndRecord(Pid, 0, 1, 0).Outcome);
        Assert.Equal(SequenceCheckOutcome.OutOfOrderSequence, state.CheckAndRecord(Pid, 0, 0, 0).Outcome);
    }

    [Fact]
    public void GapsAndOlderEpochsAreRejected()
    {
        var state = new PartitionProducerState();
        long offset = 0;
        Produce(state, 2, 0, 5, ref offset);

        var gap = state.CheckAndRecord(Pid, 2, 7, 0);
        Assert.Equal(SequenceCheckOutcome.OutOfOrderSequence, gap.Outcome);
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, gap.Error);
        Assert.Equal(SequenceCheckOutcome.OutOfOrderSequence, state.CheckAndRecord(Pid, 2, 3, 1).Outcome); // overlaps, not a known batch

        var fenced = state.CheckAndRecord(Pid, 1, 5, 0);
        Assert.Equal(SequenceCheckOutcome.InvalidProducerEpoch, fenced.Outcome);
        Assert.Equal(ErrorCode.InvalidProducerEpoch, fenced.Error);
    }

    [Fact]
    public void NewEpochMustStartAtSequenceZero()
    {
        var state = new PartitionProducerState();
        long offset = 0;
        Produce(state, 0, 0, 5, ref offset);
        Assert.Equal(SequenceCheckOutcome.OutOfOrderSequence, state.CheckAndRecord(Pid, 1, 5, 0).Outcome);
        Assert.Equal(SequenceCheckOutcome.Append, Produce(state, 1, 0, 2, ref offset).Outcome);

        // The bump forgets the old epoch's batches: its retry is now fenced, not a duplicate.
        Assert.Equal(SequenceCheckOutcome.InvalidProducerEpoch, state.CheckAndRecord(Pid, 0, 0, 4).Outcome);
        Assert.Single(state.Get(Pid)!.Batches);
        Assert.Equal((short)1, state.Get(Pid)!.Epoch);
    }

    [Fact]
    public void UnknownProducerIsAcceptedAtAnySequence()
    {
        var state = new PartitionProducerState();
        Assert.Equal(SequenceCheckOutcome.Append, state.CheckAndRecord(Pid, 3, 42, 0).Outcome);
        Assert.Equal(SequenceCheckOutcome.Append, state.CheckAndRecord(ProducerSequence.NoProducerId, -1, -1, 9).Outcome);
        state.Commit(ProducerSequence.NoProducerId, -1, -1, 9, 0, 0);
        Assert.Equal(0, state.Count);
    }

    [Fact]
    public void SequencesWrapAtIntMaxValue()
    {
        Assert.Equal(1, ProducerSequence.Increment(int.MaxValue - 1, 3));
        Assert.Equal(int.MaxValue, ProducerSequence.Increment(int.MaxValue - 2, 2));
        Assert.True(ProducerSequence.InSequence(int.MaxValue, 0));
        Assert.False(ProducerSequence.InSequence(int.MaxValue, int.MinValue));

        var state = new PartitionProducerState();
        long offset = 0;
        Assert.Equal(SequenceCheckOutcome.Append, Produce(state, 0, int.MaxValue - 1, 3, ref offset).Outcome); // seqs MAX-1, MAX, 0
        Assert.Equal(0, state.Get(Pid)!.LastSequence);
        Assert.Equal(SequenceCheckOutcome.Append, Produce(state, 0, 1, 1, ref offset).Outcome);
        Assert.Equal(SequenceCheckOutcome.Append, Produce(state, 0, 2, 1, ref offset).Outcome);
        Assert.Equal(SequenceCheckOutcome.Duplicate, state.CheckAndRecord(Pid, 0, int.MaxValue - 1, 2).Outcome);

        var exact = new PartitionProducerState();
        exact.Commit(Pid, 0, int.MaxValue - 4, 4, 10, 0); // a batch ending exactly at MAX
        Assert.Equal(SequenceCheckOutcome.OutOfOrderSequence, exact.CheckAndRecord(Pid, 0, int.MinValue, 0).Outcome);
        Assert.Equal(SequenceCheckOutcome.Append, exact.CheckAndRecord(Pid, 0, 0, 0).Outcome);
    }

    [Fact]
    public void ExpiredProducersAreForgotten()
    {
        var state = new PartitionProducerState();
        state.Commit(1, 0, 0, 0, 0, timestamp: 1_000);
        state.Commit(2, 0, 0, 0, 1, timestamp: 5_000);
        Assert.Equal(1, state.RemoveExpired(nowMs: 11_000, expirationMs: 10_000));
        Assert.Null(state.Get(1));
        Assert.NotNull(state.Get(2));
    }
}
