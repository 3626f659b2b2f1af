using Tributary.Broker.Metadata;
using Tributary.Broker.Metadata.Controller;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Metadata;
using Xunit;

namespace Tributary.Broker.Tests.Controller;

/// <summary>The pure heartbeat state machine and the image fields it relies on.</summary>
public class BrokerHeartbeatsTests
{
    private static readonly Func<string, bool> NoUnclean = _ => false;

    private static MetadataImage WithVersion(MetadataImage image) =>
        MetadataDelta.Apply(image, [new FeatureLevelRecord { Name = "metadata.version", FeatureLevel = QuorumController.MetadataVersionLevel }], image.Offset + 1);

    private static BrokerHeartbeatRequest Beat(MetadataImage image, int id, bool shutdown = false, bool fence = false, long? offset = null) => new()
    {
        BrokerId = id,
        BrokerEpoch = image.Brokers[id].Epoch,
        CurrentMetadataOffset = offset ?? image.Offset,
        WantShutDown = shutdown,
        WantFence = fence,
    };

    [Fact]
    public void FencedBrokerThatWantsToShutDownIsToldToAtOnceWithoutRecords()
    {
        var image = WithVersion(PlannerImages.One([1, 2], 2, [2], fenced: 1));
        var plan = BrokerHeartbeats.Plan(image, Beat(image, 1, shutdown: true), -1, long.MaxValue, NoUnclean);
        Assert.Equal(BrokerState.ShutdownNow, plan.Next);
        Assert.True(plan.ShouldShutDown);
        Assert.Empty(plan.Records);
    }

    [Fact]
    public void UnfencingUsesTheRegistrationChangeRecordAndElectsOfflineLeaders()
    {
        var image = WithVersion(PlannerImages.One([1, 2], -1, [1], fenced: 1));
        var plan = BrokerHeartbeats.Plan(image, Beat(image, 1), -1, long.MaxValue, NoUnclean);
        Assert.Equal(BrokerState.Unfenced, plan.Next);
        var change = Assert.IsType<BrokerRegistrationChangeRecord>(plan.Records[0]);
        Assert.Equal(-1, change.Fenced);
        var election = Assert.IsType<PartitionChangeRecord>(plan.Records[1]);
        Assert.Equal(1, election.Leader);
    }

    [Fact]
    public void OldMetadataVersionsUseFenceAndUnfenceRecords()
    {
        var image = PlannerImages.One([1, 2], 1, [1, 2], fenced: 2);
        Assert.IsType<UnfenceBrokerRecord>(BrokerHeartbeats.Plan(image, Beat(image, 2), -1, long.MaxValue, NoUnclean).Records[0]);
        Assert.IsType<FenceBrokerRecord>(BrokerHeartbeats.Plan(image, Beat(image, 1, fence: true), -1, long.MaxValue, NoUnclean).Records[0]);
    }

    [Fact]
    public void ControlledShutdownWaitsForLeadershipsAndForTheOtherBrokersToCatchUp()
    {
        var image = WithVersion(PlannerImages.One([1, 2], 1, [1, 2]));
        var begin = BrokerHeartbeats.Plan(image, Beat(image, 1, shutdown: true), -1, long.MaxValue, NoUnclean);
        Assert.Equal(BrokerState.ControlledShutdown, begin.Next);
        var marked = Assert.IsType<BrokerRegistrationChangeRecord>(begin.Records[0]);
        Assert.Equal(1, marked.InControlledShutdown);

        var shutting = MetadataDelta.Apply(image, begin.Records, image.Offset + begin.Records.Count);
        Assert.True(shutting.Brokers[1].InControlledShutdown);
        Assert.Equal(2, shutting.Partition("t", 0)!.Leader);
        Assert.DoesNotContain(ReplicaPlacer.LiveBrokers(shutting), b => b.Id == 1);

        var waiting = BrokerHeartbeats.Plan(shutting, Beat(shutting, 1, shutdown: true), shutting.Offset, shutting.Offset - 1, NoUnclean);
        Assert.Equal(BrokerState.ControlledShutdown, waiting.Next);
        var done = BrokerHeartbeats.Plan(shutting, Beat(shutting, 1, shutdown: true), shutting.Offset, shutting.Offset, NoUnclean);
        Assert.Equal(BrokerState.ShutdownNow, done.Next);
        Assert.True(done.IsFenced);
    }

    [Fact]
    public void ReplayKeepsReassignmentAndLifecycleFields()
    {
        var id = Guid.NewGuid();
        var incarnation = Guid.NewGuid();
        var image = MetadataDelta.Apply(MetadataImage.Empty("c"),
        [
            new RegisterBrokerRecord { BrokerId = 1, BrokerEpoch = 0, IncarnationId = incarnation, Fenced = true },
            new TopicRecord { Name = "t", TopicId = id },
            new PartitionRecord { TopicId = id, PartitionId = 0, Replicas = [2, 1], Isr = [1], Leader = 1, AddingReplicas = [2], RemovingReplicas = [], LeaderRecoveryState = 1 },
        ], 40);
        Assert.Equal(incarnation, image.Brokers[1].IncarnationId);
        Assert.Equal(40, image.Brokers[1].RegistrationOffset);
        Assert.Equal([2], image.Partition("t", 0)!.AddingReplicas);
        Assert.Equal(1, image.Partition("t", 0)!.LeaderRecoveryState);

        var next = MetadataDelta.Apply(image,
        [
            new PartitionChangeRecord { TopicId = id, PartitionId = 0, AddingReplicas = [], Isr = [1, 2] },
            new BrokerRegistrationChangeRecord { BrokerId = 1, BrokerEpoch = 0, Fenced = -1, InControlledShutdown = 1 },
        ], 41);
        Assert.Empty(next.Partition("t", 0)!.AddingReplicas);
        Assert.Equal(1, next.Partition("t", 0)!.LeaderRecoveryState); // -1 in the change record: unchanged
        Assert.False(next.Brokers[1].Fenced);
        Assert.True(next.Brokers[1].InControlledShutdown);
        Assert.False(next.IsActive(1));
        Assert.True(next.IsLive(1));
    }

    [Fact]
    public void StaleEpochIsRefused()
    {
        var image = PlannerImages.One([1], 1, [1]);
        var plan = BrokerHeartbeats.Plan(image, new BrokerHeartbeatRequest { BrokerId = 1, BrokerEpoch = 99 }, -1, long.MaxValue, NoUnclean);
        Assert.Equal(ErrorCode.StaleBrokerEpoch, plan.Error);
    }
}
