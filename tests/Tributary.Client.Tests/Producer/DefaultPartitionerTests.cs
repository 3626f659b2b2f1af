using System.Text;
using Tributary.Client.Producer;

namespace Tributary.Client.Tests.Producer;

public sealed class DefaultPartitionerTests
{
    private static readonly int[] AllSix = [0, 1, 2, 3, 4, 5];

    [Fact]
    public void KeyedRecordsUseMurmur2()
    {
        var partitioner = new DefaultPartitioner(NullKeyPartitioning.Sticky, 100);
        var key = Encoding.UTF8.GetBytes("order-17");
        Assert.Equal(Murmur2.Partition(key, 6), partitioner.Partition("t", key, 6, AllSix, 10));
        // Availability does not move keyed records (Java keeps key -> partition stable).
        Assert.Equal(Murmur2.Partition(key, 6), partitioner.Partition("t", key, 6, [0], 10));
    }

    [Fact]
    public void StickyStaysUntilBatchSizeThenMoves()
    {
        var partitioner = new DefaultPartitioner(NullKeyPartitioning.Sticky, 100, new Random(7));
        var first = partitioner.Partition("t", null, 6, AllSix, 30);
        Assert.Equal(first, partitioner.Partition("t", null, 6, AllSix, 30));
        Assert.Equal(first, partitioner.Partition("t", null, 6, AllSix, 30));
        Assert.Equal(first, partitioner.Partition("t", null, 6, AllSix, 30)); // 120 bytes now
        var second = partitioner.Partition("t", null, 6, AllSix, 30);
        Assert.NotEqual(first, second);
        Assert.Equal(second, partitioner.Partition("t", null, 6, AllSix, 30));
    }

    [Fact]
    public void StickyPrefersPartitionsWithALeader()
    {
        var partitioner = new DefaultPartitioner(NullKeyPartitioning.Sticky, 10, new Random(1));
        for (var i = 0; i < 20; i++)
        {
            Assert.Contains(partitioner.Partition("t", null, 6, [2, 4], 10), new[] { 2, 4 });
        }
    }

    [Fact]
    public void RoundRobinCyclesThroughAvailablePartitions()
    {
        var partitioner = new DefaultPartitioner(NullKeyPartitioning.RoundRobin, 100);
        var picks = Enumerable.Range(0, 6).Select(_ => partitioner.Partition("t", null, 4, [0, 1, 3], 1)).ToList();
        Assert.Equal(new[] { 0, 1, 3, 0, 1, 3 }, picks);
        Assert.Equal(0, partitioner.Partition("other", null, 4, [0, 1, 3], 1));
    }
}
