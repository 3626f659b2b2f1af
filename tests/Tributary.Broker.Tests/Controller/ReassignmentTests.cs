using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Controller;

/// <summary>AlterPartitionReassignments / ListPartitionReassignments (KIP-455) through the controller.</summary>
public class ReassignmentTests
{
    private static AlterPartitionReassignmentsRequest Move(string topic, int partition, int[]? replicas) => new()
    {
        Topics = [new AlterPartitionReassignmentsRequest.ReassignableTopic
        {
            Name = topic,
            Partitions = [new AlterPartitionReassignmentsRequest.ReassignablePartition { PartitionIndex = partition, Replicas = replicas?.ToList() }],
        }],
    };

    private static async Task<(ErrorCode Code, string? Message)> Alter(ControllerHarness h, string topic, int partition, int[]? replicas)
    {
        var response = await h.Controller.AlterPartitionReassignmentsAsync(Move(topic, partition, replicas), CancellationToken.None);
        Assert.Equal(0, response.ErrorCode);
        var result = response.Responses[0].Partitions[0];
        return ((ErrorCode)result.ErrorCode, result.ErrorMessage);
    }

    [Fact]
    public async Task AddingReplicasCompletesOnceTheyAreInSync()
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        await h.StartBrokersAsync(1, 2, 3);
        await h.CreateTopicAsync("t", [1, 2]);

        Assert.Equal((ErrorCode.None, null), await Alter(h, "t", 0, [2, 3]));
        var moving = h.Partition("t", 0);
        Assert.Equal([2, 3, 1], moving.Replicas);
        Assert.Equal([3], moving.AddingReplicas);
        Assert.Equal([1], moving.RemovingReplicas);
        Assert.Equal(1, moving.Leader);

        var listed = await h.Controller.ListPartitionReassignmentsAsync(new ListPartitionReassignmentsRequest { Topics = null }, CancellationToken.None);
        var ongoing = Assert.Single(Assert.Single(listed.Topics).Partitions);
        Assert.Equal([2, 3, 1], ongoing.Replicas);
        Assert.Equal([3], ongoing.AddingReplicas);
        Assert.Equal([1], ongoing.RemovingReplicas);

        // Replica 3 caught up: the leader adds it to the ISR, which completes the reassignment and moves leadership.
        var response = await h.Controller.AlterPartitionAsync(AlterPartitionTests.Request(h, "t", 0, 1, [1, 2, 3], moving), 2, CancellationToken.None);
        Assert.Equal(ErrorCode.NewLeaderElected, (ErrorCode)response.Topics[0].Partitions[0].ErrorCode);
        var done = h.Partition("t", 0);
        Assert.False(done.IsReassigning);
        Assert.Equal([2, 3], done.Replicas);
        Assert.Equal([2, 3], done.Isr);
        Assert.Equal(2, done.Leader);

        var none = await h.Controller.ListPartitionReassignmentsAsync(new ListPartitionReassignmentsRequest { Topics = null }, CancellationToken.None);
        Assert.Empty(none.Topics);
    }

    [Fact]
    public async Task ShrinkingToInSyncReplicasCompletesAtOnce()
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        await h.StartBrokersAsync(1, 2, 3);
        await h.CreateTopicAsync("t", [1, 2, 3]);
        Assert.Equal((ErrorCode.None, null), await Alter(h, "t", 0, [3, 2]));
        var p = h.Partition("t", 0);
        Assert.False(p.IsReassigning);
        Assert.Equal([3, 2], p.Replicas);
        Assert.Equal(3, p.Leader);
    }

    [Fact]
    public async Task CancelRestoresTheOriginalReplicas()
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        await h.StartBrokersAsync(1, 2, 3, 4);
        await h.CreateTopicAsync("t", [1, 2]);
        Assert.Equal(ErrorCode.NoReassignmentInProgress, (await Alter(h, "t", 0, null)).Code);

        await Alter(h, "t", 0, [3, 4]);
        Assert.Equal([3, 4, 1, 2], h.Partition("t", 0).Replicas);

        // A new target replaces the ongoing one, relative to the original replicas.
        await Alter(h, "t", 0, [2, 4]);
        var replaced = h.Partition("t", 0);
        Assert.Equal([2, 4, 1], replaced.Replicas);
        Assert.Equal([4], replaced.AddingReplicas);
        Assert.Equal([1], replaced.RemovingReplicas);

        Assert.Equal((ErrorCode.None, null), await Alter(h, "t", 0, null));
        var reverted = h.Partition("t", 0);
        Assert.False(reverted.IsReassigning);
        // As in Kafka, the revert keeps the current order minus the replicas being added.
        Assert.Equal([2, 1], reverted.Replicas);
        Assert.Equal([1, 2], reverted.Isr);
        Assert.Equal(1, reverted.Leader);
    }

    [Fact]
    public async Task InvalidTargetsAreRefusedAsKafkaDoes()
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        await h.StartBrokersAsync(1, 2);
        await h.CreateTopicAsync("t", [1, 2]);
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, (await Alter(h, "t", 0, [])).Code);
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, (await Alter(h, "t", 0, [1, 1])).Code);
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, (await Alter(h, "t", 0, [1, 9])).Code);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await Alter(h, "t", 5, [1])).Code);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await Alter(h, "missing", 0, [1])).Code);
        Assert.False(h.Partition("t", 0).IsReassigning);
    }
}
