using Tributary.Broker.Replication;
using Tributary.Storage;
using Xunit;

namespace Tributary.Broker.Tests.Replication;

public sealed class TruncationPlannerTests
{
    [Fact]
    public void SameEpochTruncatesToTheSmallerEnd() =>
        Assert.Equal((7L, true), TruncationPlanner.Plan(3, 7, new EpochEntry(3, 10), followerLogEnd: 12, followerHighWatermark: 5));

    [Fact]
    public void FollowerWithoutTheLeadersEpochCutsToItsOwnEpochEndAndAsksAgain() =>
        Assert.Equal((6L, false), TruncationPlanner.Plan(4, 9, new EpochEntry(2, 6), followerLogEnd: 12, followerHighWatermark: 5));

    [Fact]
    public void UnknownOffsetFallsBackToTheHighWatermark() =>
        Assert.Equal((5L, true), TruncationPlanner.Plan(-1, -1, new EpochEntry(-1, -1), followerLogEnd: 12, followerHighWatermark: 5));

    [Fact]
    public void UnknownEpochsTruncateToTheLeadersOffset()
    {
        Assert.Equal((8L, true), TruncationPlanner.Plan(-1, 8, new EpochEntry(2, 10), followerLogEnd: 12, followerHighWatermark: 5));
        Assert.Equal((8L, true), TruncationPlanner.Plan(3, 8, new EpochEntry(-1, -1), followerLogEnd: 12, followerHighWatermark: 5));
    }

    [Fact]
    public void NeverTruncatesPastTheLogEnd() =>
        Assert.Equal((4L, true), TruncationPlanner.Plan(3, 9, new EpochEntry(3, 9), followerLogEnd: 4, followerHighWatermark: 4));
}
