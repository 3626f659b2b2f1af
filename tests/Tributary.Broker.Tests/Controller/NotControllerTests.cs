using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Controller;

/// <summary>Every controller operation answers NOT_CONTROLLER when this node is not (or stops being) the active controller.</summary>
public class NotControllerTests
{
    [Fact]
    public async Task InactiveControllerAnswersNotControllerEverywhere()
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        await h.StartBrokersAsync(1);
        await h.CreateTopicAsync("t", [1]);
        h.Quorum.SetActive(false);
        await BrokerLifecycleTests.WaitUntil(() => h.Controller.Sessions.Get(1) is null);
        var ct = CancellationToken.None;

        Assert.Equal(ErrorCode.NotController, (ErrorCode)(await h.Controller.RegisterBrokerAsync(ControllerHarness.Registration(2, Guid.NewGuid()), ct)).ErrorCode);
        Assert.Equal(ErrorCode.NotController, (ErrorCode)(await h.Controller.HeartbeatAsync(new BrokerHeartbeatRequest { BrokerId = 1, BrokerEpoch = h.Image.Brokers[1].Epoch }, ct)).ErrorCode);
        Assert.Equal(ErrorCode.NotController, (ErrorCode)(await h.Controller.AlterPartitionAsync(new AlterPartitionRequest(), 2, ct)).ErrorCode);
        var elect = await h.Controller.ElectLeadersAsync(new ElectLeadersRequest { TopicPartitions = [new() { Topic = "t", Partitions = [0] }] }, 0, ct);
        Assert.Equal(ErrorCode.NotController, (ErrorCode)elect.ReplicaElectionResults[0].PartitionResult[0].ErrorCode);
        Assert.Equal(ErrorCode.NotController, (ErrorCode)(await h.Controller.AlterPartitionReassignmentsAsync(new AlterPartitionReassignmentsRequest(), ct)).ErrorCode);
        Assert.Equal(ErrorCode.NotController, (ErrorCode)(await h.Controller.ListPartitionReassignmentsAsync(new ListPartitionReassignmentsRequest(), ct)).ErrorCode);
        Assert.Equal(ErrorCode.NotController, (await h.Controller.AllocateProducerIdsAsync(1, h.Image.Brokers[1].Epoch, ct)).Error);

        var create = new CreateTopicsRequest();
        create.Topics.Add(new CreateTopicsRequest.CreatableTopic { Name = "u", NumPartitions = 1, ReplicationFactor = 1 });
        Assert.Equal(ErrorCode.NotController, (ErrorCode)(await h.Controller.CreateTopicsAsync(create, ct)).Topics[0].ErrorCode);
        Assert.Null(h.Image.Topic("u"));
        Assert.Equal(0, await h.Controller.FenceExpiredBrokersAsync(ct));
    }

    [Fact]
    public async Task LosingLeadershipDuringACommitAnswersNotController()
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        await h.StartBrokersAsync(1);
        var losing = new LosingCommitter(h);
        using var controller = new Tributary.Broker.Metadata.Controller.QuorumController(h.Config, losing, new Tributary.Broker.Topics.TopicConfigResolver(h.Config),
            quorum: h.Quorum, time: h.Clock);
        var response = await controller.RegisterBrokerAsync(ControllerHarness.Registration(2, Guid.NewGuid()), CancellationToken.None);
        Assert.Equal(ErrorCode.NotController, (ErrorCode)response.ErrorCode);
        var (error, _) = await controller.AllocateProducerIdsAsync(1, h.Image.Brokers[1].Epoch, CancellationToken.None);
        Assert.Equal(ErrorCode.NotController, error);
    }

    /// <summary>Looks active, but every commit finds that leadership was lost.</summary>
    private sealed class LosingCommitter(ControllerHarness h) : Tributary.Broker.Metadata.IMetadataCommitter
    {
        public Tributary.Broker.Metadata.MetadataImage Current => h.Image;

        public ValueTask<Tributary.Broker.Metadata.MetadataImage> CommitAsync(IReadOnlyList<IMetadataRecord> records, CancellationToken ct) =>
            throw new Tributary.Broker.Metadata.NotControllerException { KnownLeaderId = 7 };
    }
}
