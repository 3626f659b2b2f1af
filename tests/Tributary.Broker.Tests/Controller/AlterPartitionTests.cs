using Tributary.Broker.Metadata;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Controller;

/// <summary>AlterPartition checks and ISR changes through the controller, v0-v3.</summary>
public class AlterPartitionTests
{
    internal static AlterPartitionRequest Request(ControllerHarness h, string topic, int partition, int leader, int[] isr, PartitionImage state,
        short version = 2, long? brokerEpoch = null)
    {
        var data = new AlterPartitionRequest.PartitionData
        {
            PartitionIndex = partition,
            LeaderEpoch = state.LeaderEpoch,
            PartitionEpoch = state.PartitionEpoch,
            NewIsr = [.. isr],
            NewIsrWithEpochs = [.. isr.Select(b => new AlterPartitionRequest.BrokerState { BrokerId = b, BrokerEpoch = h.Image.Brokers[b].Epoch })],
        };
        var request = new AlterPartitionRequest { BrokerId = leader, BrokerEpoch = brokerEpoch ?? h.Image.Brokers[leader].Epoch };
        request.Topics.Add(new AlterPartitionRequest.TopicData
        {
            TopicName = version < 2 ? topic : "",
            TopicId = version >= 2 ? h.Image.Topic(topic)!.Id : Guid.Empty,
            Partitions = [data],
        });
        return request;
    }

    private static async Task<ErrorCode> Send(ControllerHarness h, AlterPartitionRequest request, short version = 2)
    {
        var response = await h.Controller.AlterPartitionAsync(request, version, CancellationToken.None);
        return response.ErrorCode != 0 ? (ErrorCode)response.ErrorCode : (ErrorCode)response.Topics[0].Partitions[0].ErrorCode;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ShrinkAndExpandBumpThePartitionEpochAndAnswerTheNewState(short version)
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        await h.StartBrokersAsync(1, 2, 3);
        await h.CreateTopicAsync("t", [1, 2, 3]);
        var before = h.Partition("t", 0);

        var response = await h.Controller.AlterPartitionAsync(Request(h, "t", 0, 1, [1, 3], before, version), version, CancellationToken.None);
        var result = response.Topics[0].Partitions[0];
        Assert.Equal(ErrorCode.None, (ErrorCode)result.ErrorCode);
        Assert.Equal([1, 3], result.Isr);
        Assert.Equal(before.PartitionEpoch + 1, result.PartitionEpoch);
        Assert.Equal(before.LeaderEpoch, result.LeaderEpoch); // no epoch bump on shrink (metadata.version 3.9)
        Assert.Equal(1, result.LeaderId);
        Assert.Equal([1, 3], h.Partition("t", 0).Isr);

        var expand = await Send(h, Request(h, "t", 0, 1, [1, 3, 2], h.Partition("t", 0), version), version);
        Assert.Equal(ErrorCode.None, expand);
        Assert.Equal([1, 3, 2], h.Partition("t", 0).Isr);
    }

    [Fact]
    public async Task ChecksEpochsLeadershipMembershipAndEligibility()
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        await h.StartBrokersAsync(1, 2, 3, 4);
        await h.CreateTopicAsync("t", [1, 2, 3]);
        var p = h.Partition("t", 0);

        Assert.Equal(ErrorCode.StaleBrokerEpoch, await Send(h, Request(h, "t", 0, 1, [1, 2], p, brokerEpoch: 12345)));
        Assert.Equal(ErrorCode.FencedLeaderEpoch, await Send(h, Request(h, "t", 0, 1, [1, 2], p with { LeaderEpoch = p.LeaderEpoch + 1 })));
        Assert.Equal(ErrorCode.InvalidUpdateVersion, await Send(h, Request(h, "t", 0, 1, [1, 2], p with { PartitionEpoch = p.PartitionEpoch - 1 })));
        Assert.Equal(ErrorCode.InvalidRequest, await Send(h, Request(h, "t", 0, 2, [1, 2], p))); // not the leader
        Assert.Equal(ErrorCode.InvalidRequest, await Send(h, Request(h, "t", 0, 1, [1, 4], p))); // 4 is no replica
        Assert.Equal(ErrorCode.InvalidRequest, await Send(h, Request(h, "t", 0, 1, [2, 3], p))); // leader left out
        Assert.Equal(ErrorCode.InvalidRequest, await Send(h, Request(h, "t", 0, 1, [1, 1], p))); // duplicate

        // Shrink to [1, 2], fence 3, then try to bring it back.
        Assert.Equal(ErrorCode.None, await Send(h, Request(h, "t", 0, 1, [1, 2], p)));
        await h.HeartbeatAsync(3, wantFence: true);
        p = h.Partition("t", 0);
        Assert.Equal(ErrorCode.IneligibleReplica, await Send(h, Request(h, "t", 0, 1, [1, 2, 3], p)));
        Assert.Equal(ErrorCode.OperationNotAttempted, await Send(h, Request(h, "t", 0, 1, [1, 2, 3], p, version: 1), 1));

        // v3 names each member's broker epoch: a stale one is ineligible.
        var v3 = Request(h, "t", 0, 1, [1, 2], p, version: 3);
        v3.Topics[0].Partitions[0].NewIsrWithEpochs[1].BrokerEpoch = 99_999;
        Assert.Equal(ErrorCode.IneligibleReplica, await Send(h, v3, 3));

        // Unknown topics: by id from v2, by name before.
        var unknown = Request(h, "t", 0, 1, [1, 2], p);
        unknown.Topics[0].TopicId = Guid.NewGuid();
        Assert.Equal(ErrorCode.UnknownTopicId, await Send(h, unknown));
        var unknownName = Request(h, "t", 0, 1, [1, 2], p, version: 1);
        unknownName.Topics[0].TopicName = "nope";
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, await Send(h, unknownName, 1));
    }

    [Fact]
    public async Task UnchangedIsrAnswersTheCurrentStateWithoutACommit()
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        await h.StartBrokersAsync(1, 2);
        await h.CreateTopicAsync("t", [1, 2]);
        var p = h.Partition("t", 0);
        var commits = h.Store.Commits;
        var response = await h.Controller.AlterPartitionAsync(Request(h, "t", 0, 1, [1, 2], p), 2, CancellationToken.None);
        Assert.Equal(commits, h.Store.Commits);
        Assert.Equal(p.PartitionEpoch, response.Topics[0].Partitions[0].PartitionEpoch);
    }
}
