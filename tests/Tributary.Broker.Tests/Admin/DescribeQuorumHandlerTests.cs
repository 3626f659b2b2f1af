using Tributary.Broker.Tests.Data;
using Tributary.Broker.Topics;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Admin;

/// <summary>DescribeQuorum over the wire against the single-node metadata quorum.</summary>
public class DescribeQuorumHandlerTests
{
    private static DescribeQuorumRequest Request(string topic = TopicNames.ClusterMetadata, params int[] partitions) => new()
    {
        Topics = [new DescribeQuorumRequest.TopicData { TopicName = topic, Partitions = [.. (partitions.Length == 0 ? [0] : partitions).Select(p => new DescribeQuorumRequest.PartitionData { PartitionIndex = p })] }],
    };

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task DescribesTheLocalMetadataLogLedByThisNode(short version)
    {
        var time = new ManualTime();
        await using var broker = await AdminBroker.StartWithClockAsync(time);
        await broker.CreateTopic("grows-the-log");
        var logEnd = broker.Stack.Image.Offset + 1;

        var response = await broker.Send<DescribeQuorumResponse>(Request(), version);

        Assert.Equal(0, response.ErrorCode);
        var topic = Assert.Single(response.Topics);
        Assert.Equal(TopicNames.ClusterMetadata, topic.TopicName);
        var partition = Assert.Single(topic.Partitions);
        Assert.Equal((0, (short)0, 1, 1), (partition.PartitionIndex, partition.ErrorCode, partition.LeaderId, partition.LeaderEpoch));
        Assert.True(logEnd > 1);
        Assert.Equal(logEnd, partition.HighWatermark);
        Assert.Empty(partition.Observers);
        var self = Assert.Single(partition.CurrentVoters);
        Assert.Equal((1, logEnd), (self.ReplicaId, self.LogEndOffset));
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal(version >= 1 ? (now, now) : (-1L, -1L), (self.LastFetchTimestamp, self.LastCaughtUpTimestamp));
        if (version >= 2)
        {
            Assert.Null(response.ErrorMessage);
            Assert.Null(partition.ErrorMessage);
            var node = Assert.Single(response.Nodes);
            var listener = Assert.Single(node.Listeners);
            Assert.Equal((1, "CONTROLLER", "127.0.0.1", (ushort)9093), (node.NodeId, listener.Name, listener.Host, listener.Port));
        }
        else
        {
            Assert.Empty(response.Nodes);
        }
    }

    [Fact]
    public async Task VotersThisNodeHasNoContactWithAreNotCaughtUp()
    {
        await using var broker = await AdminBroker.StartWithClockAsync(new ManualTime(),
            ("controller.quorum.voters", "3@c3.example:9093,1@127.0.0.1:9093,2@c2.example:9093"));

        var response = await broker.Send<DescribeQuorumResponse>(Request(), 2);

        var partition = Assert.Single(Assert.Single(response.Topics).Partitions);
        Assert.Equal([1, 2, 3], partition.CurrentVoters.Select(v => v.ReplicaId));
        Assert.All(partition.CurrentVoters.Where(v => v.ReplicaId != 1), v =>
            Assert.Equal((-1L, -1L, -1L), (v.LogEndOffset, v.LastFetchTimestamp, v.LastCaughtUpTimestamp)));
        Assert.Equal(partition.HighWatermark, partition.CurrentVoters[0].LogEndOffset);
        Assert.Equal([(1, "127.0.0.1"), (2, "c2.example"), (3, "c3.example")], response.Nodes.Select(n => (n.NodeId, n.Listeners[0].Host)));
    }

    [Theory]
    [InlineData("orders", 0)]
    [InlineData(TopicNames.ClusterMetadata, 1)]
    public async Task OtherPartitionsAreUnknown(string topic, int partition)
    {
        await using var broker = await AdminBroker.StartAsync();

        var response = await broker.Send<DescribeQuorumResponse>(Request(topic, partition), 2);

        Assert.Equal(0, response.ErrorCode);
        var answered = Assert.Single(Assert.Single(response.Topics, t => t.TopicName == topic).Partitions);
        Assert.Equal((partition, (short)ErrorCode.UnknownTopicOrPartition), (answered.PartitionIndex, answered.ErrorCode));
        Assert.NotNull(answered.ErrorMessage);
        Assert.Empty(response.Nodes);
    }

    [Fact]
    public async Task MoreThanTheMetadataPartitionIsRefusedPerPartition()
    {
        await using var broker = await AdminBroker.StartAsync();

        var response = await broker.Send<DescribeQuorumResponse>(Request(TopicNames.ClusterMetadata, 0, 1), 1);

        var partitions = Assert.Single(response.Topics).Partitions;
        Assert.Equal([0, 1], partitions.Select(p => p.PartitionIndex));
        Assert.All(partitions, p => Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, p.ErrorCode));
    }

    [Fact]
    public async Task ABrokerOnlyNodeDoesNotLeadTheQuorum()
    {
        await using var broker = await AdminBroker.StartWithClockAsync(new ManualTime(),
            ("process.roles", "broker"),
            ("listeners", "PLAINTEXT://127.0.0.1:9092"),
            ("controller.quorum.voters", "7@127.0.0.1:9093"));

        var response = await broker.Send<DescribeQuorumResponse>(Request(), 2);

        Assert.Equal(0, response.ErrorCode);
        var partition = Assert.Single(Assert.Single(response.Topics).Partitions);
        Assert.Equal(((short)ErrorCode.NotLeaderOrFollower, -1), (partition.ErrorCode, partition.LeaderId));
        Assert.Empty(partition.CurrentVoters);
    }
}
