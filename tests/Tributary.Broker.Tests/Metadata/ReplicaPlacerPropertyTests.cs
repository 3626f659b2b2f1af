using Tributary.Broker.Metadata.Controller;
using Xunit;

namespace Tributary.Broker.Tests.Metadata;

/// <summary>
/// Placement properties over many broker/rack layouts, replication factors, partition counts and
/// starts. A layout is a list of rack sizes; broker ids are 100 * (rack + 1) + n so the rack of a
/// broker is id / 100 (racks "r1", "r2", ...; a null layout name means no rack information).
/// </summary>
public class ReplicaPlacerPropertyTests
{
    private static readonly int[] PartitionCounts = [1, 2, 3, 5, 6, 12, 31];

    public static TheoryData<int[]> Layouts() => new()
    {
        new[] { 1, 1, 1 },
        new[] { 2, 2, 2 },
        new[] { 3, 3, 3 },
        new[] { 4, 4, 4 },
        new[] { 2, 2 },
        new[] { 3, 3 },
        new[] { 1, 2, 3 },
        new[] { 1, 1, 4 },
        new[] { 2, 5 },
        new[] { 4, 1 },
        new[] { 3, 3, 1, 1 },
        new[] { 1, 1, 1, 1, 1 },
    };

    private static PlacementBroker[] Brokers(int[] rackSizes, bool racked = true) =>
        [.. rackSizes.SelectMany((size, rack) => Enumerable.Range(0, size).Select(n => new PlacementBroker(100 * (rack + 1) + n, racked ? $"r{rack + 1}" : null)))];

    private static int RackOf(int broker) => broker / 100;

    /// <summary>The fewest replicas the fullest rack can hold: fill racks one replica at a time, emptiest first.</summary>
    private static int WaterFilledMax(int[] rackSizes, int replicationFactor)
    {
        var counts = new int[rackSizes.Length];
        for (var i = 0; i < replicationFactor; i++)
        {
            var best = Enumerable.Range(0, counts.Length).Where(r => counts[r] < rackSizes[r]).MinBy(r => counts[r]);
            counts[best]++;
        }

        return counts.Max();
    }

    private static int Spread(IEnumerable<int> counts)
    {
        var list = counts.ToList();
        return list.Max() - list.Min();
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void EveryPlacementHoldsTheRackAndBalanceProperties(int[] rackSizes)
    {
        var brokers = Brokers(rackSizes);
        var ids = brokers.Select(b => b.Id).ToHashSet();
        var uniform = rackSizes.Distinct().Count() == 1;
        for (var rf = 1; rf <= Math.Min(ids.Count, 4); rf++)
        {
            var maxPerRack = WaterFilledMax(rackSizes, rf);
            foreach (var partitions in PartitionCounts)
            {
                for (var start = 0; start < ids.Count + 1; start++)
                {
                    var placement = ReplicaPlacer.Place(brokers, 0, partitions, rf, start);
                    var context = $"layout [{string.Join(",", rackSizes)}] rf={rf} partitions={partitions} start={start}";
                    Assert.Equal(partitions, placement.Count);
                    foreach (var replicas in placement)
                    {
                        Assert.Equal(rf, replicas.Length);
                        Assert.True(replicas.Distinct().Count() == rf, context);
                        Assert.All(replicas, id => Assert.Contains(id, ids));
                        var fullestRack = replicas.GroupBy(RackOf).Max(g => g.Count());
                        Assert.True(fullestRack <= maxPerRack, $"{context}: {fullestRack} replicas on one rack, at most {maxPerRack} expected");
                        if (rackSizes.Length >= rf)
                        {
                            Assert.True(replicas.Select(RackOf).Distinct().Count() == rf, $"{context}: replicas not on distinct racks");
                        }
                    }

                    var leaders = ids.ToDictionary(id => id, id => placement.Count(r => r[0] == id));
                    Assert.True(Spread(leaders.Values) <= 1, $"{context}: leader counts {string.Join(",", leaders.Values)}");
                    var replicaCounts = ids.ToDictionary(id => id, id => placement.Count(r => r.Contains(id)));

                    // Within a rack every broker is interchangeable, so replicas even out there.
                    foreach (var rack in ids.GroupBy(RackOf))
                    {
                        Assert.True(Spread(rack.Select(id => replicaCounts[id])) <= 2, $"{context}: replica counts in rack {rack.Key}");
                    }

                    if (uniform)
                    {
                        var rackLeaders = ids.GroupBy(RackOf).Select(g => g.Sum(id => leaders[id]));
                        Assert.True(Spread(rackLeaders) <= 1, $"{context}: rack leader counts");
                        Assert.True(Spread(replicaCounts.Values) <= 2, $"{context}: replica counts {string.Join(",", replicaCounts.Values)}");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void ThreeRacksOfEqualSizeGiveEveryPartitionThreeRacksAndEvenLoad(int perRack)
    {
        var brokers = Brokers([perRack, perRack, perRack]);
        var partitions = 6 * perRack;
        var placement = ReplicaPlacer.Place(brokers, 0, partitions, 3, start: perRack);
        Assert.All(placement, r => Assert.Equal([1, 2, 3], r.Select(RackOf).Order()));

        // 3 * partitions replicas over 3 * perRack brokers: exactly 6 each, 2 leads each.
        Assert.All(brokers, b => Assert.Equal(6, placement.Count(r => r.Contains(b.Id))));
        Assert.All(brokers, b => Assert.Equal(2, placement.Count(r => r[0] == b.Id)));
    }

    [Fact]
    public void TwoRacksAndThreeReplicasPutAtMostTwoOnARack()
    {
        var brokers = Brokers([3, 3]);
        var placement = ReplicaPlacer.Place(brokers, 0, 24, 3, start: 1);
        Assert.All(placement, r => Assert.Equal([1, 2], r.GroupBy(RackOf).Select(g => g.Count()).Order()));
        Assert.Equal(12, placement.Count(r => RackOf(r[0]) == 1));
    }

    [Fact]
    public void UnevenRacksStillUseEveryRackOnce()
    {
        // Racks of 1, 1 and 4 brokers with RF 3: every partition needs the two small racks.
        var brokers = Brokers([1, 1, 4]);
        var placement = ReplicaPlacer.Place(brokers, 0, 12, 3, start: 0);
        Assert.All(placement, r => Assert.Equal([1, 2, 3], r.Select(RackOf).Order()));
        Assert.All(brokers, b => Assert.Equal(2, placement.Count(r => r[0] == b.Id)));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(3, 3)]
    [InlineData(5, 3)]
    [InlineData(6, 4)]
    public void WithoutRackInformationReplicasAndLeadersStillSpread(int brokerCount, int rf)
    {
        var brokers = Brokers([brokerCount], racked: false);
        Assert.All(brokers, b => Assert.Null(b.Rack));
        foreach (var partitions in PartitionCounts)
        {
            var placement = ReplicaPlacer.Place(brokers, 0, partitions, rf, start: partitions % brokerCount);
            Assert.All(placement, r => Assert.Equal(rf, r.Distinct().Count()));
            Assert.True(Spread(brokers.Select(b => placement.Count(r => r[0] == b.Id))) <= 1);
            Assert.True(Spread(brokers.Select(b => placement.Count(r => r.Contains(b.Id)))) <= 2);
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void AddingPartitionsKeepsTheTopicBalanced(int[] rackSizes)
    {
        var brokers = Brokers(rackSizes);
        var n = brokers.Length;
        var rf = Math.Min(3, n);
        var maxPerRack = WaterFilledMax(rackSizes, rf);
        foreach (var (before, added) in new[] { (1, 1), (3, 4), (5, 7), (n + 1, 2 * n - 1) })
        {
            var existing = ReplicaPlacer.Place(brokers, 0, before, rf, start: 1);
            var more = ReplicaPlacer.Place(brokers, before, added, rf, start: 2, existing);
            var all = existing.Concat(more).ToList();
            Assert.All(more, r => Assert.True(r.GroupBy(RackOf).Max(g => g.Count()) <= maxPerRack));
            Assert.True(Spread(brokers.Select(b => all.Count(r => r[0] == b.Id))) <= 1,
                $"layout [{string.Join(",", rackSizes)}] {before}+{added}: leaders {string.Join(",", brokers.Select(b => all.Count(r => r[0] == b.Id)))}");
        }
    }

    [Fact]
    public void AddedPartitionsAvoidAnOverloadedLeader()
    {
        var brokers = Brokers([2, 2, 2]);
        // A manual assignment that made broker 100 lead all four partitions.
        int[][] existing = [[100, 200, 300], [100, 201, 301], [100, 200, 301], [100, 201, 300]];
        var more = ReplicaPlacer.Place(brokers, 4, 10, 3, start: 0, existing);
        Assert.DoesNotContain(more, r => r[0] == 100);
        var leaders = brokers.Where(b => b.Id != 100).Select(b => more.Count(r => r[0] == b.Id));
        Assert.All(leaders, c => Assert.Equal(2, c));

        // Replicas of brokers that are no longer live are ignored, not counted or placed.
        var withGone = ReplicaPlacer.Place(brokers, 4, 6, 3, start: 0, [[999, 100, 200]]);
        Assert.DoesNotContain(withGone, r => r.Contains(999));
    }
}
