using Tributary.Broker.Metadata.Controller;
using Tributary.Protocol;
using Xunit;

namespace Tributary.Broker.Tests.Metadata;

public class ReplicaPlacerTests
{
    private static PlacementBroker[] Racked(params (int Id, string? Rack)[] brokers) => [.. brokers.Select(b => new PlacementBroker(b.Id, b.Rack))];

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
    public void ReplicationFactorAboveBrokerCountIsRejectedWithInvalidReplicationFactor()
    {
        var e = Assert.Throws<ReplicaPlacementException>(() => ReplicaPlacer.Place([1, 2], 0, 1, 3, 0));
        Assert.Equal(ErrorCode.InvalidReplicationFactor, e.Error);
        Assert.Contains("only 2 broker(s)", e.Message, StringComparison.Ordinal);

        // A broker listed twice is still one broker.
        var dup = Assert.Throws<ReplicaPlacementException>(() => ReplicaPlacer.Place(Racked((1, "a"), (1, "a"), (2, "b")), 0, 1, 3, 0));
        Assert.Equal(ErrorCode.InvalidReplicationFactor, dup.Error);
    }

    [Fact]
    public void CheckReplicationFactorUsesKafkasErrors()
    {
        Assert.Null(ReplicaPlacer.CheckReplicationFactor(3, 3));
        Assert.Equal(ErrorCode.InvalidReplicationFactor, ReplicaPlacer.CheckReplicationFactor(4, 3)!.Value.Code);
        Assert.Equal(ErrorCode.InvalidReplicationFactor, ReplicaPlacer.CheckReplicationFactor(0, 3)!.Value.Code);
        Assert.Equal(
            "Unable to replicate the partition 2 time(s): The target replication factor of 2 cannot be reached because only 1 broker(s) are registered.",
            ReplicaPlacer.CheckReplicationFactor(2, 1)!.Value.Message);
    }

    [Fact]
    public void NoBrokersAtAllIsAnInvalidReplicationFactor() =>
        Assert.Equal(ErrorCode.InvalidReplicationFactor, Assert.Throws<ReplicaPlacementException>(() => ReplicaPlacer.Place(Racked(), 0, 1, 1, 0)).Error);

    [Fact]
    public void ZeroPartitionsGiveAnEmptyPlacement() =>
        Assert.Empty(ReplicaPlacer.Place(Racked((1, "a"), (2, "b")), 3, 0, 2, 1));

    [Fact]
    public void SameInputGivesTheSamePlacementWhateverTheBrokerOrder()
    {
        var brokers = Racked((11, "a"), (12, "a"), (21, "b"), (22, "b"), (31, "c"), (32, "c"));
        var reversed = brokers.Reverse().ToArray();
        for (var start = 0; start < 8; start++)
        {
            var a = ReplicaPlacer.Place(brokers, 0, 10, 3, start);
            var b = ReplicaPlacer.Place(reversed, 0, 10, 3, start);
            Assert.Equal(a, b);
        }
    }

    [Fact]
    public void TheStartPicksTheFirstLeader()
    {
        var brokers = Racked((11, "a"), (21, "b"), (31, "c"));
        var firstLeaders = Enumerable.Range(0, 3).Select(s => ReplicaPlacer.Place(brokers, 0, 1, 1, s)[0][0]).ToArray();
        Assert.Equal(3, firstLeaders.Distinct().Count());
    }

    [Fact]
    public void ConsecutiveLeadersAlternateRacks()
    {
        var brokers = Racked((11, "a"), (12, "a"), (21, "b"), (22, "b"), (31, "c"), (32, "c"));
        var leaders = ReplicaPlacer.Place(brokers, 0, 6, 1, 2).Select(r => r[0] / 10).ToArray();
        for (var i = 0; i + 2 < leaders.Length; i += 3)
        {
            Assert.Equal(3, leaders.Skip(i).Take(3).Distinct().Count());
        }
    }

    [Fact]
    public void BrokersWithoutARackFormTheirOwnGroup()
    {
        // Kafka's KRaft placer accepts a mix: the unracked brokers act as one more rack.
        var brokers = Racked((1, "a"), (2, "a"), (3, null), (4, null));
        var placement = ReplicaPlacer.Place(brokers, 0, 8, 2, 0);
        Assert.All(placement, r => Assert.Single(r, id => id is 3 or 4));
        Assert.All(placement, r => Assert.Single(r, id => id is 1 or 2));
    }

    [Fact]
    public void FencedBrokersAreNotLive()
    {
        var image = ReplicaPlacerControllerTests.Image((1, "a", false), (2, "b", true), (3, "c", false));
        Assert.Equal([new PlacementBroker(1, "a"), new PlacementBroker(3, "c")], ReplicaPlacer.LiveBrokers(image));
    }

    [Fact]
    public void NegativeArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ReplicaPlacer.Place([1], -1, 1, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReplicaPlacer.Place([1], 0, -1, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReplicaPlacer.Place([1], 0, 1, 1, -1));
    }

    [Fact]
    public void LargePartitionNumbersAndStartsDoNotOverflow()
    {
        var placement = ReplicaPlacer.Place(Racked((1, "a"), (2, "b")), int.MaxValue - 1, 2, 2, int.MaxValue);
        Assert.All(placement, r => Assert.Equal([1, 2], r.Order()));
    }
}
