using Tributary.Broker.Metadata.Controller;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Controller;

/// <summary>ElectLeaders (preferred and unclean) and automatic leader rebalancing.</summary>
public class ElectLeadersTests
{
    private static ElectLeadersRequest Request(sbyte type, string topic, params int[] partitions) => new()
    {
        ElectionType = type,
        TopicPartitions = [new ElectLeadersRequest.TopicPartitionsData { Topic = topic, Partitions = [.. partitions] }],
    };

    private static ErrorCode[] Errors(ElectLeadersResponse response) =>
        [.. response.ReplicaElectionResults.SelectMany(r => r.PartitionResult).Select(p => (ErrorCode)p.ErrorCode)];

    /// <summary>Broker 1 fails and comes back: it no longer leads the partitions it prefers.</summary>
    private static async Task<ControllerHarness> FailedOverAsync(params (string, string)[] extra)
    {
        var h = new ControllerHarness(extra);
        await h.ActivateAsync();
        await h.StartBrokersAsync(1, 2, 3);
        await h.CreateTopicAsync("t", [1, 2, 3], [1, 3, 2], [2, 3, 1]);
        await h.ExpireAsync(1, 2, 3);
        await h.RegisterAsync(1);
        await h.HeartbeatAsync(1);
        // It catches up and rejoins the ISR through AlterPartition from the current leaders.
        foreach (var partition in new[] { 0, 1, 2 })
        {
            var p = h.Partition("t", partition);
            await h.Controller.AlterPartitionAsync(AlterPartitionTests.Request(h, "t", partition, p.Leader, [.. p.Isr, 1], p), 2, CancellationToken.None);
        }

        return h;
    }

    [Fact]
    public async Task PreferredElectionMovesLeadershipBackToTheFirstReplica()
    {
        using var h = await FailedOverAsync();
        Assert.Equal(2, h.Partition("t", 0).Leader);
        var response = await h.Controller.ElectLeadersAsync(Request(LeaderElections.Preferred, "t", 0, 2, 7), 2, CancellationToken.None);
        Assert.Equal([ErrorCode.None, ErrorCode.ElectionNotNeeded, ErrorCode.UnknownTopicOrPartition], Errors(response));
        Assert.Null(response.ReplicaElectionResults[0].PartitionResult[0].ErrorMessage);
        Assert.Equal(1, h.Partition("t", 0).Leader);
    }

    [Fact]
    public async Task NullTopicListElectsEveryPartitionAndReportsOnlyThoseThatNeededIt()
    {
        using var h = await FailedOverAsync();
        var response = await h.Controller.ElectLeadersAsync(new ElectLeadersRequest { ElectionType = LeaderElections.Preferred, TopicPartitions = null }, 2, CancellationToken.None);
        var results = Assert.Single(response.ReplicaElectionResults);
        Assert.Equal([0, 1], results.PartitionResult.Select(p => p.PartitionId));
        Assert.All(h.Image.Topic("t")!.Partitions.Values, p => Assert.Equal(p.Replicas[0], p.Leader));
    }

    [Fact]
    public async Task PreferredLeaderNotAvailableWhenItIsFenced()
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        await h.StartBrokersAsync(1, 2);
        await h.CreateTopicAsync("t", [1, 2]);
        await h.HeartbeatAsync(1, wantFence: true);
        var response = await h.Controller.ElectLeadersAsync(Request(LeaderElections.Preferred, "t", 0), 1, CancellationToken.None);
        Assert.Equal([ErrorCode.PreferredLeaderNotAvailable], Errors(response));
    }

    [Fact]
    public async Task UncleanElectionBringsAnOfflinePartitionBackFromOutsideTheIsr()
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        await h.StartBrokersAsync(1, 2, 3);
        await h.CreateTopicAsync("t", [1, 2]);
        var p = h.Partition("t", 0);
        await h.Controller.AlterPartitionAsync(AlterPartitionTests.Request(h, "t", 0, 1, [1], p), 2, CancellationToken.None);
        await h.ExpireAsync(1, 2, 3);
        Assert.Equal(-1, h.Partition("t", 0).Leader); // unclean election is off by default

        var elected = await h.Controller.ElectLeadersAsync(Request(LeaderElections.Unclean, "t", 0), 1, CancellationToken.None);
        Assert.Equal(ErrorCode.None, Errors(elected)[0]);
        var after = h.Partition("t", 0);
        Assert.Equal(2, after.Leader);
        Assert.Equal([2], after.Isr);
        Assert.Equal(1, after.LeaderRecoveryState);

        var again = await h.Controller.ElectLeadersAsync(Request(LeaderElections.Unclean, "t", 0), 1, CancellationToken.None);
        Assert.Equal([ErrorCode.ElectionNotNeeded], Errors(again));
    }

    [Fact]
    public async Task UncleanElectionWithNoActiveReplicaFails()
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        await h.StartBrokersAsync(1, 2);
        await h.CreateTopicAsync("t", [1]);
        await h.ExpireAsync(1, 2);
        var response = await h.Controller.ElectLeadersAsync(Request(LeaderElections.Unclean, "t", 0), 2, CancellationToken.None);
        Assert.Equal([ErrorCode.EligibleLeadersNotAvailable], Errors(response));
    }

    [Fact]
    public async Task AutomaticRebalanceElectsPreferredLeadersOnlyAboveTheImbalanceThreshold()
    {
        using var h = await FailedOverAsync(("leader.imbalance.per.broker.percentage", "10"));
        // Broker 1 prefers 2 partitions and leads none of them: 100% > 10%.
        Assert.Equal(2, await h.Controller.RebalanceLeadersAsync(CancellationToken.None));
        Assert.Equal(1, h.Partition("t", 0).Leader);
        Assert.Equal(1, h.Partition("t", 1).Leader);
        Assert.Equal(0, await h.Controller.RebalanceLeadersAsync(CancellationToken.None));
    }

    [Fact]
    public void RebalanceToleratesImbalanceUpToThePercentage()
    {
        // Broker 1 prefers 10 partitions and leads 9 of them: 10% is not above 10%.
        var image = PlannerImages.WithPartitions(10, i => ([1, 2], i == 0 ? 2 : 1, [1, 2]));
        Assert.Empty(LeaderRebalance.Plan(image, 10));
        Assert.Single(LeaderRebalance.Plan(image, 9));
    }
}
