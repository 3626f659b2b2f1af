using Tributary.Broker.Metadata.Controller;
using Xunit;

namespace Tributary.Broker.Tests.Metadata;

public class ReplicaPlacerTests
{
    [Fact]
    public void SpreadsLeadersAndKeepsReplicasDistinct()
    {
        var placement = ReplicaPlacer.Place([3, 1, 2], 0, 6, 3, start: 0);
        Assert.Equal([1, 2, 3, 1, 2, 3], placement.Select(r => r[0]));
        Assert.All(placement, r => Assert.Equal(3, r.Distinct().Count()));
    }

    [Fact]
    public void SingleBrokerGetsEveryReplica()
    {
        var placement = ReplicaPlacer.Place([1], 4, 3, 1, start: 5);
        Assert.All(placement, r => Assert.Equal([1], r));
    }

    [Fact]
    public void ReplicationFactorAboveBrokerCountIsRejected() =>
        Assert.Throws<ArgumentException>(() => ReplicaPlacer.Place([1, 2], 0, 1, 3, 0));
}
