using Tributary.Broker.Coordination;
using Tributary.Broker.Groups;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.GroupHandlers;

public sealed class FindCoordinatorTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task SingleKeyVersionsNameThisBrokerOnTheRequestListener(short version)
    {
        await using var broker = await GroupBroker.StartAsync();
        var response = await broker.SendAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { Key = "g" }, version);
        Assert.Equal((short)ErrorCode.None, response.ErrorCode);
        Assert.Equal(GroupBroker.NodeId, response.NodeId);
        Assert.Equal("127.0.0.1", response.Host);
        Assert.Equal(9092, response.Port);
        Assert.Contains((GroupBroker.NodeId, "PLAINTEXT"), broker.Resolved);
    }

    [Fact]
    public async Task BatchedKeysUseEachGroupsPartitionLeader()
    {
        // Partition 0 of the offsets topic is led by broker 2, the others here.
        var image = TestMetadataView.WithOffsetsLeader(TestMetadataView.Image(GroupBroker.OffsetsPartitions, GroupBroker.NodeId), 0, 2);
        await using var broker = await GroupBroker.StartAsync(image);
        var keys = Enumerable.Range(0, 20).Select(i => "group-" + i).ToList();
        var response = await broker.SendAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { CoordinatorKeys = keys }, 4);
        Assert.Equal(keys, response.Coordinators.Select(c => c.Key));
        foreach (var c in response.Coordinators)
        {
            var expected = GroupPartitioner.PartitionFor(c.Key, GroupBroker.OffsetsPartitions) == 0 ? 2 : GroupBroker.NodeId;
            Assert.Equal((short)ErrorCode.None, c.ErrorCode);
            Assert.Equal(expected, c.NodeId);
        }

        Assert.Contains(response.Coordinators, c => c.NodeId == 2);
    }

    [Fact]
    public async Task MissingOffsetsTopicIsCreatedAndReportedUnavailable()
    {
        await using var broker = await GroupBroker.StartAsync(TestMetadataView.Image(0, GroupBroker.NodeId));
        var response = await broker.SendAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { Key = "g", KeyType = 0 }, 2);
        Assert.Equal((short)ErrorCode.CoordinatorNotAvailable, response.ErrorCode);
        Assert.Equal(-1, response.NodeId);
        Assert.Equal([GroupCoordinatorService.OffsetsTopic], broker.CreatedTopics);
    }

    [Fact]
    public async Task PartitionWithoutLeaderOrFencedLeaderIsUnavailable()
    {
        var image = TestMetadataView.WithOffsetsLeader(TestMetadataView.Image(1, GroupBroker.NodeId), 0, -1);
        await using var broker = await GroupBroker.StartAsync(image);
        var none = await broker.SendAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { CoordinatorKeys = ["g"] }, 5);
        Assert.Equal((short)ErrorCode.CoordinatorNotAvailable, Assert.Single(none.Coordinators).ErrorCode);

        var fenced = TestMetadataView.WithOffsetsLeader(image, 0, 2);
        broker.Metadata.Publish(fenced with { Brokers = fenced.Brokers.SetItem(2, fenced.Brokers[2] with { Fenced = true }) });
        var stillNone = await broker.SendAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { Key = "g" }, 3);
        Assert.Equal((short)ErrorCode.CoordinatorNotAvailable, stillNone.ErrorCode);
    }

    [Fact]
    public async Task TransactionKeysHaveNoCoordinatorYetAndUnknownTypesAreInvalid()
    {
        await using var broker = await GroupBroker.StartAsync();
        var txn = await broker.SendAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { Key = "tx", KeyType = 1 }, 3);
        Assert.Equal((short)ErrorCode.CoordinatorNotAvailable, txn.ErrorCode);
        var unknown = await broker.SendAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { CoordinatorKeys = ["x"], KeyType = 7 }, 4);
        Assert.Equal((short)ErrorCode.InvalidRequest, Assert.Single(unknown.Coordinators).ErrorCode);
    }
}
