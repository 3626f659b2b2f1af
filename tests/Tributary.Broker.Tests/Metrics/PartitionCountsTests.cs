using System.Collections.Immutable;
using Tributary.Broker.Metadata;
using Tributary.Broker.Metrics;
using Xunit;

namespace Tributary.Broker.Tests.Metrics;

public sealed class PartitionCountsTests
{
    [Fact]
    public void CountsReplicasLeadersShortIsrAndOfflinePartitions()
    {
        var topic = new TopicImage("t", Guid.NewGuid(), new Dictionary<int, PartitionImage>
        {
            [0] = new(0, 1, 0, 0, [1, 2, 3], [1, 2, 3]),   // led here, healthy
            [1] = new(1, 1, 0, 0, [1, 2, 3], [1]),         // led here, ISR 1 < replicas 3 and < min.isr 2
            [2] = new(2, 2, 0, 0, [2, 1, 3], [2, 3]),      // replica here, led elsewhere
            [3] = new(3, PartitionImage.NoLeader, 0, 0, [2, 3], []), // offline, no replica here
        }, new Dictionary<string, string>());
        var image = MetadataImage.Empty("c") with { Topics = ImmutableSortedDictionary.Create<string, TopicImage>(StringComparer.Ordinal).Add("t", topic) };

        var counts = PartitionCounts.Compute(image, nodeId: 1, (_, _) => 2);

        Assert.Equal(new PartitionCounts(Partitions: 3, Leaders: 2, UnderReplicated: 1, UnderMinIsr: 1, Offline: 1), counts);
    }
}
