using System.Net;
using Tributary.Broker.Topics;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Admin;

public class MetadataHandlerTests
{
    private static MetadataRequest For(bool allowAutoCreate, params string[] names) => new()
    {
        Topics = [.. names.Select(n => new MetadataRequest.MetadataRequestTopic { Name = n })],
        AllowAutoTopicCreation = allowAutoCreate,
    };

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(12)]
    public async Task NullTopicListDescribesEveryTopicAndTheBroker(short version)
    {
        await using var broker = await AdminBroker.StartAsync();
        await broker.CreateTopic("orders", 2);
        var response = await broker.Send<MetadataResponse>(new MetadataRequest { Topics = null }, version);

        var b = Assert.Single(response.Brokers);
        Assert.Equal((1, "localhost", 9092), (b.NodeId, b.Host, b.Port));
        Assert.Equal(1, response.ControllerId);
        if (version >= 2)
        {
            Assert.Equal(broker.Stack.Image.ClusterId, response.ClusterId);
        }

        Assert.Equal([TopicNames.ConsumerOffsets, "orders"], response.Topics.Select(t => t.Name));
        Assert.True(response.Topics[0].IsInternal);
        var orders = response.Topics[1];
        Assert.Equal(0, orders.ErrorCode);
        Assert.Equal([0, 1], orders.Partitions.Select(p => p.PartitionIndex));
        Assert.All(orders.Partitions, p =>
        {
            Assert.Equal((0, 1), (p.ErrorCode, p.LeaderId));
            Assert.Equal([1], p.ReplicaNodes);
            Assert.Equal([1], p.IsrNodes);
            Assert.Empty(p.OfflineReplicas);
        });
        Assert.Equal(version >= 10 ? broker.Stack.Image.Topic("orders")!.Id : Guid.Empty, orders.TopicId);
    }

    [Fact]
    public async Task EmptyListMeansAllTopicsInV0ButNoneLater()
    {
        await using var broker = await AdminBroker.StartAsync();
        Assert.NotEmpty((await broker.Send<MetadataResponse>(new MetadataRequest { Topics = [] }, 0)).Topics);
        Assert.Empty((await broker.Send<MetadataResponse>(new MetadataRequest { Topics = [] }, 4)).Topics);
    }

    [Fact]
    public async Task UnknownInvalidAndExistingTopics()
    {
        await using var broker = await AdminBroker.StartAsync();
        await broker.CreateTopic("known");
        var response = await broker.Send<MetadataResponse>(For(false, "known", "unknown", "bad name!"), 9);
        Assert.Equal(
            [(short)ErrorCode.None, (short)ErrorCode.UnknownTopicOrPartition, (short)ErrorCode.InvalidTopicException],
            response.Topics.Select(t => t.ErrorCode));
        Assert.Null(broker.Stack.Image.Topic("unknown"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(12)]
    public async Task MissingTopicsAreAutoCreatedAndReturnedReady(short version)
    {
        await using var broker = await AdminBroker.StartAsync(null, ("num.partitions", "3"));
        var response = await broker.Send<MetadataResponse>(For(true, "auto"), version);
        var topic = Assert.Single(response.Topics);
        Assert.Equal((short)ErrorCode.None, topic.ErrorCode);
        Assert.Equal(3, topic.Partitions.Count);
        Assert.All(topic.Partitions, p => Assert.Equal(1, p.LeaderId));
        Assert.NotNull(broker.Stack.Image.Topic("auto"));
    }

    [Fact]
    public async Task AutoCreationHonorsTheRequestFlagAndTheBrokerSetting()
    {
        await using (var broker = await AdminBroker.StartAsync())
        {
            var response = await broker.Send<MetadataResponse>(For(false, "nope"), 4);
            Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, response.Topics[0].ErrorCode);
            var internalTopic = await broker.Send<MetadataResponse>(For(true, TopicNames.TransactionState), 9);
            Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, internalTopic.Topics[0].ErrorCode);
        }

        await using var disabled = await AdminBroker.StartAsync(null, ("auto.create.topics.enable", "false"));
        var r = await disabled.Send<MetadataResponse>(For(true, "nope"), 9);
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, r.Topics[0].ErrorCode);
        Assert.Null(disabled.Stack.Image.Topic("nope"));
    }

    [Fact]
    public async Task AutoCreationThatCannotSucceedReportsTheReason()
    {
        await using var broker = await AdminBroker.StartAsync(null, ("default.replication.factor", "3"));
        var response = await broker.Send<MetadataResponse>(For(true, "wide"), 9);
        Assert.Equal((short)ErrorCode.InvalidReplicationFactor, response.Topics[0].ErrorCode);
    }

    [Fact]
    public async Task V12LooksTopicsUpById()
    {
        await using var broker = await AdminBroker.StartAsync();
        await broker.CreateTopic("by-id");
        var id = broker.Stack.Image.Topic("by-id")!.Id;
        var unknown = Guid.NewGuid();
        var request = new MetadataRequest
        {
            Topics = [new MetadataRequest.MetadataRequestTopic { Name = null, TopicId = id }, new MetadataRequest.MetadataRequestTopic { Name = null, TopicId = unknown }],
        };
        var response = await broker.Send<MetadataResponse>(request, 12);
        Assert.Equal(("by-id", id, (short)0), (response.Topics[0].Name, response.Topics[0].TopicId, response.Topics[0].ErrorCode));
        Assert.Equal((null, unknown, (short)ErrorCode.UnknownTopicId), (response.Topics[1].Name, response.Topics[1].TopicId, response.Topics[1].ErrorCode));
    }

    [Fact]
    public async Task EmptyAdvertisedHostAndPortComeFromTheBoundSocket()
    {
        await using var bound = await AdminBroker.StartAsync(new IPEndPoint(IPAddress.Parse("127.0.0.5"), 45678), ("advertised.listeners", "PLAINTEXT://:0"));
        var b = Assert.Single((await bound.Send<MetadataResponse>(new MetadataRequest { Topics = null }, 9)).Brokers);
        Assert.Equal(("127.0.0.5", 45678), (b.Host, b.Port));

        // Bound to every interface: the address the client reached us on.
        await using var wildcard = await AdminBroker.StartAsync(new IPEndPoint(IPAddress.Any, 45679), ("advertised.listeners", "PLAINTEXT://:0"));
        var w = Assert.Single((await wildcard.Send<MetadataResponse>(new MetadataRequest { Topics = null }, 9, local: new IPEndPoint(IPAddress.Parse("127.0.0.9"), 45679))).Brokers);
        Assert.Equal(("127.0.0.9", 45679), (w.Host, w.Port));
    }

    [Fact]
    public async Task ARequestOnAListenerTheLeaderDoesNotAdvertiseGetsListenerNotFound()
    {
        await using var broker = await AdminBroker.StartAsync();
        await broker.CreateTopic("t");
        var response = await broker.Send<MetadataResponse>(For(false, "t"), 9, listener: "INTERNAL");
        Assert.Empty(response.Brokers);
        Assert.All(response.Topics[0].Partitions, p => Assert.Equal((short)ErrorCode.ListenerNotFound, p.ErrorCode));
    }
}
