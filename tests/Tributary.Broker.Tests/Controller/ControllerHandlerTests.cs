using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Broker.Config;
using Tributary.Broker.Handlers.Controller;
using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Tests.Metadata;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Primitives;
using Xunit;

namespace Tributary.Broker.Tests.Controller;

/// <summary>The controller handlers through the dispatcher with serialized frames, at each version.</summary>
public class ControllerHandlerTests
{
    private static RequestDispatcher Dispatcher(QuorumController controller) => new(new HandlerTable(
    [
        new BrokerRegistrationHandler(controller),
        new BrokerHeartbeatHandler(controller),
        new AlterPartitionHandler(controller),
        new ElectLeadersHandler(controller),
        new AlterPartitionReassignmentsHandler(controller),
        new ListPartitionReassignmentsHandler(controller),
        new AllocateProducerIdsHandler(controller),
    ]), NullLogger<RequestDispatcher>.Instance);

    private static async Task<TResponse> Send<TResponse>(RequestDispatcher dispatcher, IApiRequest request, short version)
        where TResponse : IApiResponse, new()
    {
        var key = request.ApiKey;
        var header = new RequestHeader { RequestApiKey = (short)key, RequestApiVersion = version, CorrelationId = 7, ClientId = "controller-test" };
        var headerVersion = ApiHeaderVersions.RequestHeaderVersion(key, version);
        var bytes = new byte[header.Size(headerVersion) + request.Size(version)];
        var writer = new KafkaWriter(bytes);
        header.Write(ref writer, headerVersion);
        request.Write(ref writer, version);
        var connection = new ConnectionContext(1, "CONTROLLER", SecurityProtocol.Plaintext, new IPEndPoint(IPAddress.Loopback, 50000), new IPEndPoint(IPAddress.Loopback, 19093));
        var context = new RequestContext(connection, new RequestHeaderPrefix((short)key, version, 7), 0);
        using var frame = await dispatcher.DispatchAsync(context, bytes, CancellationToken.None);
        Assert.NotNull(frame);
        var reader = new KafkaReader(frame.ToArray());
        new ResponseHeader().Read(ref reader, ApiHeaderVersions.ResponseHeaderVersion(key, version));
        var response = new TResponse();
        response.Read(ref reader, version);
        Assert.True(reader.End);
        return response;
    }

    [Fact]
    public async Task BrokerLifecycleOverTheWire()
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        var dispatcher = Dispatcher(h.Controller);
        foreach (var version in new short[] { 0, 4 })
        {
            var id = 10 + version;
            var registered = await Send<BrokerRegistrationResponse>(dispatcher, ControllerHarness.Registration(id, Guid.NewGuid(), "rack-a"), version);
            Assert.Equal(0, registered.ErrorCode);
            Assert.Equal(h.Image.Brokers[id].Epoch, registered.BrokerEpoch);
            Assert.Equal("rack-a", h.Image.Brokers[id].Rack);

            var beat = await Send<BrokerHeartbeatResponse>(dispatcher,
                new BrokerHeartbeatRequest { BrokerId = id, BrokerEpoch = registered.BrokerEpoch, CurrentMetadataOffset = h.Image.Offset }, (short)Math.Min((int)version, 1));
            Assert.Equal(0, beat.ErrorCode);
            Assert.True(beat.IsCaughtUp);
            Assert.False(beat.IsFenced);
        }

        var ids = await Send<AllocateProducerIdsResponse>(dispatcher, new AllocateProducerIdsRequest { BrokerId = 10, BrokerEpoch = h.Image.Brokers[10].Epoch }, 0);
        Assert.Equal(0, ids.ErrorCode);
        Assert.Equal(1000, ids.ProducerIdLen);
        var next = await Send<AllocateProducerIdsResponse>(dispatcher, new AllocateProducerIdsRequest { BrokerId = 10, BrokerEpoch = h.Image.Brokers[10].Epoch }, 0);
        Assert.Equal(ids.ProducerIdStart + 1000, next.ProducerIdStart);
        var stale = await Send<AllocateProducerIdsResponse>(dispatcher, new AllocateProducerIdsRequest { BrokerId = 10, BrokerEpoch = 123_456 }, 0);
        Assert.Equal(ErrorCode.StaleBrokerEpoch, (ErrorCode)stale.ErrorCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task AlterPartitionAtEveryVersion(short version)
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        await h.StartBrokersAsync(1, 2);
        await h.CreateTopicAsync("t", [1, 2]);
        var dispatcher = Dispatcher(h.Controller);
        var response = await Send<AlterPartitionResponse>(dispatcher, AlterPartitionTests.Request(h, "t", 0, 1, [1], h.Partition("t", 0), version), version);
        var topic = Assert.Single(response.Topics);
        if (version >= 2)
        {
            Assert.Equal(h.Image.Topic("t")!.Id, topic.TopicId);
        }
        else
        {
            Assert.Equal("t", topic.TopicName);
        }

        Assert.Equal(0, topic.Partitions[0].ErrorCode);
        Assert.Equal([1], topic.Partitions[0].Isr);
        Assert.Equal([1], h.Partition("t", 0).Isr);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ElectLeadersAndReassignmentsOverTheWire(short version)
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        await h.StartBrokersAsync(1, 2, 3);
        await h.CreateTopicAsync("t", [1, 2]);
        var dispatcher = Dispatcher(h.Controller);

        var elect = await Send<ElectLeadersResponse>(dispatcher,
            new ElectLeadersRequest { TopicPartitions = [new() { Topic = "t", Partitions = [0] }] }, version);
        Assert.Equal(ErrorCode.ElectionNotNeeded, (ErrorCode)elect.ReplicaElectionResults[0].PartitionResult[0].ErrorCode);

        var alter = await Send<AlterPartitionReassignmentsResponse>(dispatcher, new AlterPartitionReassignmentsRequest
        {
            Topics = [new() { Name = "t", Partitions = [new() { PartitionIndex = 0, Replicas = [1, 2, 3] }] }],
        }, 0);
        Assert.Equal(0, alter.Responses[0].Partitions[0].ErrorCode);
        var list = await Send<ListPartitionReassignmentsResponse>(dispatcher,
            new ListPartitionReassignmentsRequest { Topics = [new() { Name = "t", PartitionIndexes = [0] }] }, 0);
        Assert.Equal([3], Assert.Single(Assert.Single(list.Topics).Partitions).AddingReplicas);
    }

    [Fact]
    public async Task SingleNodeControllerServesTheSameHandlers()
    {
        await using var stack = await MetadataStack.StartAsync();
        var dispatcher = Dispatcher(stack.Controller);
        var ids = await Send<AllocateProducerIdsResponse>(dispatcher, new AllocateProducerIdsRequest { BrokerId = 1, BrokerEpoch = stack.Image.Brokers[1].Epoch }, 0);
        Assert.Equal(0, ids.ErrorCode);
        var elect = await Send<ElectLeadersResponse>(dispatcher, new ElectLeadersRequest { TopicPartitions = null }, 2);
        Assert.Equal(0, elect.ErrorCode);
        Assert.Empty(elect.ReplicaElectionResults); // every partition already has its preferred leader
    }
}
