using System.Text;
using Tributary.Client.Producer;

namespace Tributary.Client.Tests.Producer;

/// <summary>The accumulator's bookkeeping of in-flight batches, which decides whether an out-of-order answer is retried.</summary>
public sealed class RecordAccumulatorTests
{
    private static readonly TopicPartition Partition = new("t", 0);

    private static (RecordAccumulator Accumulator, List<ProducerBatch> Sent) DrainThree()
    {
        var accumulator = new RecordAccumulator(new ProducerOptions { BootstrapServers = "unused:9092", BatchSize = 1, MaxInFlight = 5 }, TimeProvider.System)
        {
            ProducerIdentity = (1000, 0),
        };
        for (var i = 0; i < 3; i++)
        {
            _ = accumulator.Append(Partition, new ProducerRecord("t", null, Encoding.UTF8.GetBytes($"v{i}")) { Partition = 0 }, 0, out _);
        }

        var sent = new List<ProducerBatch>();
        for (var i = 0; i < 3; i++)
        {
            sent.AddRange(accumulator.Drain(out _));
        }

        Assert.Equal([0, 1, 2], sent.Select(b => b.BaseSequence));
        return (accumulator, sent);
    }

    [Fact]
    public void AnOutOfOrderAnswerSeenBeforeTheEarlierBatchsAnswerIsExpected()
    {
        // Batch 1 failed (say NOT_LEADER) but its answer is handled after batch 2's OUT_OF_ORDER:
        // batch 1 is still in flight, so batch 2's error is the consequence, not a lost sequence.
        var (accumulator, sent) = DrainThree();
        accumulator.Succeeded(sent[0], 0, -1);

        Assert.True(accumulator.HasEarlierPending(sent[2]));
        Assert.False(accumulator.HasEarlierPending(sent[1]));
    }

    [Fact]
    public void OnceEveryEarlierBatchIsAcknowledgedAnOutOfOrderAnswerIsReal()
    {
        var (accumulator, sent) = DrainThree();
        accumulator.Succeeded(sent[0], 0, -1);
        accumulator.Succeeded(sent[1], 1, -1);

        Assert.False(accumulator.HasEarlierPending(sent[2]));
    }

    [Fact]
    public void ABatchWaitingForItsRetryCountsAsEarlier()
    {
        var (accumulator, sent) = DrainThree();
        accumulator.Succeeded(sent[0], 0, -1);
        accumulator.Retry(sent[1], TimeSpan.FromMilliseconds(1));

        Assert.True(accumulator.HasEarlierPending(sent[2]));
    }
}
