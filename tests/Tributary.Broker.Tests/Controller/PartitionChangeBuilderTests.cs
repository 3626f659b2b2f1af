using Tributary.Broker.Metadata;
using Tributary.Broker.Metadata.Controller;
using Xunit;

namespace Tributary.Broker.Tests.Controller;

/// <summary>The pure partition state planner: elections, empty ISRs, unclean elections, reassignment completion.</summary>
public class PartitionChangeBuilderTests
{
    private static PartitionImage P(MetadataImage image) => image.Partition("t", 0)!;

    [Fact]
    public void NoChangeBuildsNothing()
    {
        var image = PlannerImages.One([1, 2, 3], 1, [1, 2, 3]);
        Assert.Null(new PartitionChangeBuilder(PlannerImages.TopicId, P(image), image.IsActive).Build());
    }

    [Fact]
    public void LeaderLeavingTheIsrHandsOverInReplicaOrder()
    {
        var image = PlannerImages.One([3, 1, 2], 1, [3, 1, 2], fenced: 1);
        var record = new PartitionChangeBuilder(PlannerImages.TopicId, P(image), image.IsActive).WithTargetIsr([3, 2]).Build()!;
        Assert.Equal(3, record.Leader);
        Assert.Equal([3, 2], record.Isr);
        var next = MetadataDelta.Apply(image, [record], image.Offset + 1).Partition("t", 0)!;
        Assert.Equal(6, next.LeaderEpoch);
        Assert.Equal(8, next.PartitionEpoch);
    }

    [Fact]
    public void TheLastIsrMemberStaysAndThePartitionGoesOffline()
    {
        var image = PlannerImages.One([1, 2], 1, [1], fenced: 1);
        var record = new PartitionChangeBuilder(PlannerImages.TopicId, P(image), b => b != 1 && image.IsActive(b)).WithTargetIsr([]).Build()!;
        Assert.Equal(-1, record.Leader);
        Assert.Null(record.Isr);
    }

    [Fact]
    public void UncleanElectionTakesAnyActiveReplicaAndMarksItRecovering()
    {
        var image = PlannerImages.One([1, 2], -1, [1], fenced: 1);
        var builder = new PartitionChangeBuilder(PlannerImages.TopicId, P(image), image.IsActive) { Election = PartitionElection.Unclean };
        var record = builder.Build()!;
        Assert.Equal(2, record.Leader);
        Assert.Equal([2], record.Isr);
        Assert.Equal(1, record.LeaderRecoveryState);
    }

    [Fact]
    public void PreferredElectionPicksTheFirstReplicaOnlyWhenInSync()
    {
        var image = PlannerImages.One([1, 2, 3], 2, [2, 3, 1]);
        var record = new PartitionChangeBuilder(PlannerImages.TopicId, P(image), image.IsActive) { Election = PartitionElection.Preferred }.Build()!;
        Assert.Equal(1, record.Leader);

        var outOfSync = PlannerImages.One([1, 2, 3], 2, [2, 3]);
        Assert.Null(new PartitionChangeBuilder(PlannerImages.TopicId, P(outOfSync), outOfSync.IsActive) { Election = PartitionElection.Preferred }.Build());
    }

    [Fact]
    public void ReassignmentCompletesWhenEveryTargetReplicaIsInSync()
    {
        // Moving [1, 2] to [3, 2]: replicas [3, 2, 1], adding [3], removing [1].
        var start = PlannerImages.One([1, 2], 1, [1, 2]);
        var record = new PartitionChangeBuilder(PlannerImages.TopicId, P(start), start.IsActive)
            .WithTargetReplicas([3, 2, 1]).WithTargetAdding([3]).WithTargetRemoving([1]).Build()!;
        var reassigning = MetadataDelta.Apply(start, [record], start.Offset + 1);
        Assert.True(P(reassigning).IsReassigning);
        Assert.Equal([3, 2, 1], P(reassigning).Replicas);

        // 3 caught up: the leader's AlterPartition adds it, which completes the move and moves leadership to a target replica.
        var done = new PartitionChangeBuilder(PlannerImages.TopicId, P(reassigning), reassigning.IsActive).WithTargetIsr([1, 2, 3]).Build()!;
        var final = P(MetadataDelta.Apply(reassigning, [done], reassigning.Offset + 1));
        Assert.False(final.IsReassigning);
        Assert.Equal([3, 2], final.Replicas);
        Assert.Equal([2, 3], final.Isr);
        Assert.Equal(3, final.Leader);
    }

    [Fact]
    public void RemovingAFollowerBumpsTheLeaderEpoch()
    {
        var image = PlannerImages.One([1, 2, 3], 1, [1, 2, 3]);
        var record = new PartitionChangeBuilder(PlannerImages.TopicId, P(image), image.IsActive)
            .WithTargetReplicas([1, 2, 3]).WithTargetRemoving([3]).Build()!;
        Assert.Equal(1, record.Leader); // same leader, new epoch
        Assert.Equal([1, 2], record.Replicas);
        Assert.Equal([1, 2], record.Isr);
    }
}
