using System.Buffers.Binary;
using Tributary.Broker.Producers;
using Tributary.Protocol.Primitives;
using Tributary.Protocol.Records;
using Xunit;

namespace Tributary.Broker.Tests.Producers;

public sealed class ProducerStateSnapshotTests
{
    private static PartitionProducerState Sample()
    {
        var state = new PartitionProducerState();
        long offset = 0;
        for (var seq = 0; seq < 7; seq++)
        {
            state.Commit(1, 0, seq * 2, 1, offset, 100 + seq);
            offset += 2;
        }

        state.Commit(2, 5, int.MaxValue, 3, offset, 500);
        state.Commit(3, 1, 0, 0, offset + 4, 600);
        return state;
    }

    private static void AssertSame(PartitionProducerState expected, PartitionProducerState actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        foreach (var e in expected.Entries)
        {
            var a = actual.Get(e.ProducerId);
            Assert.NotNull(a);
            Assert.Equal(e.Epoch, a.Epoch);
            Assert.Equal(e.LastTimestamp, a.LastTimestamp);
            Assert.Equal(e.Batches, a.Batches);
        }
    }

    [Fact]
    public void SnapshotRoundTrips()
    {
        var state = Sample();
        var bytes = ProducerStateSnapshot.Write(state, snapshotOffset: 123);
        var (restored, snapshotOffset) = ProducerStateSnapshot.Read(bytes);
        Assert.Equal(123, snapshotOffset);
        AssertSame(state, restored);

        // The restored state still detects duplicates of in-flight batches.
        Assert.Equal(SequenceCheckOutcome.Duplicate, restored.CheckAndRecord(1, 0, 6, 1).Outcome);
        Assert.Equal(SequenceCheckOutcome.Append, restored.CheckAndRecord(2, 5, 3, 0).Outcome);
    }

    [Fact]
    public void CorruptSnapshotsAreRejected()
    {
        var bytes = ProducerStateSnapshot.Write(Sample(), 1);
        var flipped = (byte[])bytes.Clone();
        flipped[^1] ^= 1;
        Assert.Equal(ProtocolError.CorruptRecord, Assert.Throws<ProtocolException>(() => ProducerStateSnapshot.Read(flipped)).Error);
        Assert.Throws<ProtocolException>(() => ProducerStateSnapshot.Read(bytes.AsMemory(0, bytes.Length - 3)));
        var version = (byte[])bytes.Clone();
        version[1] = 9;
        Assert.Equal(ProtocolError.UnsupportedVersion, Assert.Throws<ProtocolException>(() => ProducerStateSnapshot.Read(version)).Error);
        Assert.Equal(0, ProducerStateSnapshot.Read(ProducerStateSnapshot.Write(new PartitionProducerState(), 0)).State.Count);
    }

    private static byte[] Header(long baseOffset, int lastOffsetDelta, long producerId, short epoch, int baseSequence, long maxTimestamp, short attributes = 0)
    {
        var h = new byte[RecordBatchHeader.Size];
        BinaryPrimitives.WriteInt64BigEndian(h.AsSpan(RecordBatchHeader.BaseOffsetOffset), baseOffset);
        BinaryPrimitives.WriteInt32BigEndian(h.AsSpan(RecordBatchHeader.BatchLengthOffset), RecordBatchHeader.Size - RecordBatchHeader.LogOverhead);
        h[RecordBatchHeader.MagicOffset] = RecordBatchHeader.CurrentMagic;
        BinaryPrimitives.WriteInt16BigEndian(h.AsSpan(RecordBatchHeader.AttributesOffset), attributes);
        BinaryPrimitives.WriteInt32BigEndian(h.AsSpan(RecordBatchHeader.LastOffsetDeltaOffset), lastOffsetDelta);
        BinaryPrimitives.WriteInt64BigEndian(h.AsSpan(RecordBatchHeader.MaxTimestampOffset), maxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(h.AsSpan(RecordBatchHeader.ProducerIdOffset), producerId);
        BinaryPrimitives.WriteInt16BigEndian(h.AsSpan(RecordBatchHeader.ProducerEpochOffset), epoch);
        BinaryPrimitives.WriteInt32BigEndian(h.AsSpan(RecordBatchHeader.BaseSequenceOffset), baseSequence);
        BinaryPrimitives.WriteInt32BigEndian(h.AsSpan(RecordBatchHeader.RecordCountOffset), lastOffsetDelta + 1);
        return h;
    }

    [Fact]
    public void ReplayingBatchHeadersRebuildsTheSameState()
    {
        var live = new PartitionProducerState();
        var replayed = new PartitionProducerState();
        long offset = 0;
        var batches = new List<byte[]>();
        for (var seq = 0; seq < 8; seq++)
        {
            var pid = seq % 2 == 0 ? 7L : 8L;
            var baseSeq = seq / 2 * 3;
            Assert.Equal(SequenceCheckOutcome.Append, live.CheckAndRecord(pid, 0, baseSeq, 2).Outcome);
            live.Commit(pid, 0, baseSeq, 2, offset, 10 + seq);
            batches.Add(Header(offset, 2, pid, 0, baseSeq, 10 + seq));
            offset += 3;
        }

        batches.Add(Header(offset, 4, ProducerSequence.NoProducerId, -1, -1, 99)); // non-idempotent batch: ignored
        foreach (var b in batches)
        {
            replayed.Replay(b);
        }

        AssertSame(live, replayed);

        // A control batch (transaction marker) at a newer epoch moves the producer to it.
        replayed.Replay(Header(offset + 5, 0, 7, 1, -1, 200, attributes: 0x30));
        Assert.Equal((short)1, replayed.Get(7)!.Epoch);
        Assert.Empty(replayed.Get(7)!.Batches);
        Assert.Equal(SequenceCheckOutcome.InvalidProducerEpoch, replayed.CheckAndRecord(7, 0, 12, 0).Outcome);
        Assert.Throws<ProtocolException>(() => replayed.Replay(new byte[RecordBatchHeader.Size - 1]));
    }
}
