using System.Collections.Immutable;
using Tributary.Broker.Cluster;
using Tributary.Broker.Metadata;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Cluster;

public sealed class ForwardingClusterControllerTests
{
    private static readonly Dictionary<string, string> NoConfigs = [];

    [Fact]
    public async Task CreateTopicsIsForwardedAndTheControllersAnswerReturned()
    {
        var channel = new FakeControllerChannel(r => new CreateTopicsResponse
        {
            Topics = [.. ((CreateTopicsRequest)r).Topics.Select(t => new CreateTopicsResponse.CreatableTopicResult { Name = t.Name, NumPartitions = t.NumPartitions, TopicId = Guid.NewGuid() })],
        });
        var controller = new ForwardingClusterController(channel, new FakeMetadataView());
        var request = new CreateTopicsRequest { Topics = [new CreateTopicsRequest.CreatableTopic { Name = "orders", NumPartitions = 6, ReplicationFactor = 3 }] };

        var response = await controller.CreateTopicsAsync(request, CancellationToken.None);

        Assert.Same(request, Assert.Single(channel.Requests));
        var topic = Assert.Single(response.Topics);
        Assert.Equal(("orders", 6, (short)0), (topic.Name, topic.NumPartitions, topic.ErrorCode));
    }

    [Fact]
    public async Task NoControllerInTimeFailsEveryItemAsRetriable()
    {
        var channel = new FakeControllerChannel(_ => throw new TimeoutException("no controller"));
        var controller = new ForwardingClusterController(channel, new FakeMetadataView());

        var created = await controller.CreateTopicsAsync(new CreateTopicsRequest
        {
            Topics = [new CreateTopicsRequest.CreatableTopic { Name = "a" }, new CreateTopicsRequest.CreatableTopic { Name = "b" }],
        }, CancellationToken.None);
        Assert.Equal(["a", "b"], created.Topics.Select(t => t.Name));
        Assert.All(created.Topics, t => Assert.Equal((short)ErrorCode.RequestTimedOut, t.ErrorCode));

        var deleted = await controller.DeleteTopicsAsync([new DeleteTopicsRequest.DeleteTopicState { Name = "a" }], CancellationToken.None);
        Assert.Equal((short)ErrorCode.RequestTimedOut, Assert.Single(deleted).ErrorCode);

        var partitions = await controller.CreatePartitionsAsync(new CreatePartitionsRequest { Topics = [new CreatePartitionsRequest.CreatePartitionsTopic { Name = "a", Count = 4 }] }, CancellationToken.None);
        Assert.Equal((short)ErrorCode.RequestTimedOut, Assert.Single(partitions.Results).ErrorCode);

        var configs = await controller.IncrementalAlterConfigsAsync(new IncrementalAlterConfigsRequest
        {
            Resources = [new IncrementalAlterConfigsRequest.AlterConfigsResource { ResourceType = 2, ResourceName = "a" }],
        }, CancellationToken.None);
        Assert.Equal(ErrorCode.RequestTimedOut, Assert.Single(configs).Error);

        var (error, _) = await controller.AllocateProducerIdsAsync(1, 5, CancellationToken.None);
        Assert.Equal(ErrorCode.RequestTimedOut, error);
    }

    [Fact]
    public async Task DeleteTopicsSendsNamesAndIdsAndReturnsTheResults()
    {
        var id = Guid.NewGuid();
        var channel = new FakeControllerChannel(r => new DeleteTopicsResponse
        {
            Responses = [.. ((DeleteTopicsRequest)r).Topics.Select(t => new DeleteTopicsResponse.DeletableTopicResult { Name = t.Name, TopicId = t.TopicId })],
        });
        var controller = new ForwardingClusterController(channel, new FakeMetadataView());

        var results = await controller.DeleteTopicsAsync([new DeleteTopicsRequest.DeleteTopicState { Name = "x", TopicId = id }], CancellationToken.None);

        var sent = (DeleteTopicsRequest)Assert.Single(channel.Requests);
        Assert.Equal(["x"], sent.TopicNames);
        Assert.Equal(id, Assert.Single(results).TopicId);
    }

    [Fact]
    public async Task ConfigResultsAreMappedPerResource()
    {
        var channel = new FakeControllerChannel(r => r switch
        {
            AlterConfigsRequest a => new AlterConfigsResponse
            {
                Responses = [.. a.Resources.Select(x => new AlterConfigsResponse.AlterConfigsResourceResponse
                {
                    ResourceType = x.ResourceType,
                    ResourceName = x.ResourceName,
                    ErrorCode = (short)ErrorCode.InvalidConfig,
                    ErrorMessage = "bad value",
                })],
            },
            IncrementalAlterConfigsRequest i => new IncrementalAlterConfigsResponse
            {
                Responses = [.. i.Resources.Select(x => new IncrementalAlterConfigsResponse.AlterConfigsResourceResponse { ResourceType = x.ResourceType, ResourceName = x.ResourceName })],
            },
            _ => throw new InvalidOperationException(),
        });
        var controller = new ForwardingClusterController(channel, new FakeMetadataView());

        var altered = await controller.AlterConfigsAsync(new AlterConfigsRequest
        {
            Resources = [new AlterConfigsRequest.AlterConfigsResource { ResourceType = 2, ResourceName = "t" }],
        }, CancellationToken.None);
        Assert.Equal(new Tributary.Broker.Metadata.Controller.ConfigChangeResult(2, "t", ErrorCode.InvalidConfig, "bad value"), Assert.Single(altered));

        var incremental = await controller.IncrementalAlterConfigsAsync(new IncrementalAlterConfigsRequest
        {
            Resources = [new IncrementalAlterConfigsRequest.AlterConfigsResource { ResourceType = 4, ResourceName = "1" }],
        }, CancellationToken.None);
        Assert.Equal((4, "1", ErrorCode.None), (incremental.Single().ResourceType, incremental.Single().ResourceName, incremental.Single().Error));
    }

    [Fact]
    public async Task ProducerIdBlocksComeFromTheController()
    {
        var channel = new FakeControllerChannel(r => ((AllocateProducerIdsRequest)r).BrokerEpoch == 7
            ? new AllocateProducerIdsResponse { ProducerIdStart = 3000, ProducerIdLen = 1000 }
            : new AllocateProducerIdsResponse { ErrorCode = (short)ErrorCode.StaleBrokerEpoch });
        var controller = new ForwardingClusterController(channel, new FakeMetadataView());

        var (error, block) = await controller.AllocateProducerIdsAsync(2, 7, CancellationToken.None);
        Assert.Equal(ErrorCode.None, error);
        Assert.Equal((3000L, 1000), (block.FirstId, block.Size));
        var sent = channel.Sent<AllocateProducerIdsRequest>().Single();
        Assert.Equal((2, 7L), (sent.BrokerId, sent.BrokerEpoch));

        var (stale, _) = await controller.AllocateProducerIdsAsync(2, 6, CancellationToken.None);
        Assert.Equal(ErrorCode.StaleBrokerEpoch, stale);
    }

    [Fact]
    public async Task EnsureInternalTopicCreatesItWithAtMostTheLiveBrokers()
    {
        var metadata = new FakeMetadataView();
        metadata.Publish(metadata.Current with
        {
            Brokers = ImmutableSortedDictionary.CreateRange(new Dictionary<int, BrokerImage>
            {
                [1] = new(1, "a", [], false, 10),
                [2] = new(2, "b", [], false, 11),
                [3] = new(3, "c", [], true, 12),
            }),
        });
        var channel = new FakeControllerChannel(r => new CreateTopicsResponse
        {
            Topics = [.. ((CreateTopicsRequest)r).Topics.Select(t => new CreateTopicsResponse.CreatableTopicResult { Name = t.Name })],
        });
        var controller = new ForwardingClusterController(channel, metadata);

        var error = await controller.EnsureInternalTopicAsync("__transaction_state", 50, 3, new Dictionary<string, string> { ["cleanup.policy"] = "compact" }, CancellationToken.None);

        Assert.Equal(ErrorCode.None, error);
        var topic = Assert.Single(channel.Sent<CreateTopicsRequest>().Single().Topics);
        Assert.Equal(("__transaction_state", 50, (short)2), (topic.Name, topic.NumPartitions, topic.ReplicationFactor));
        Assert.Equal(("cleanup.policy", "compact"), (topic.Configs.Single().Name, topic.Configs.Single().Value));
    }

    [Fact]
    public async Task EnsureInternalTopicTreatsAlreadyExistsAsDone()
    {
        var channel = new FakeControllerChannel(r => new CreateTopicsResponse
        {
            Topics = [.. ((CreateTopicsRequest)r).Topics.Select(t => new CreateTopicsResponse.CreatableTopicResult { Name = t.Name, ErrorCode = (short)ErrorCode.TopicAlreadyExists })],
        });
        var controller = new ForwardingClusterController(channel, new FakeMetadataView());

        Assert.Equal(ErrorCode.None, await controller.EnsureInternalTopicAsync("__consumer_offsets", 50, 3, NoConfigs, CancellationToken.None));
    }

    [Fact]
    public async Task EnsureInternalTopicSendsNothingWhenTheTopicIsKnown()
    {
        var metadata = new FakeMetadataView();
        var topic = new TopicImage("__consumer_offsets", Guid.NewGuid(), new Dictionary<int, PartitionImage>(), new Dictionary<string, string>());
        metadata.Publish(metadata.Current with
        {
            Topics = metadata.Current.Topics.Add(topic.Name, topic),
            TopicNamesById = metadata.Current.TopicNamesById.Add(topic.Id, topic.Name),
        });
        var channel = new FakeControllerChannel(_ => throw new InvalidOperationException("must not be called"));
        var controller = new ForwardingClusterController(channel, metadata);

        Assert.Equal(ErrorCode.None, await controller.EnsureInternalTopicAsync("__consumer_offsets", 50, 3, NoConfigs, CancellationToken.None));
        Assert.Empty(channel.Requests);
    }

    [Fact]
    public async Task ForwardingOverARealChannelReachesTheController()
    {
        var handler = new StubHandler<CreatePartitionsRequest, CreatePartitionsResponse>(ApiKey.CreatePartitions, r => new CreatePartitionsResponse
        {
            Results = [.. r.Topics.Select(t => new CreatePartitionsResponse.CreatePartitionsTopicResult { Name = t.Name })],
        });
        var notController = new StubHandler<CreatePartitionsRequest, CreatePartitionsResponse>(ApiKey.CreatePartitions, r => new CreatePartitionsResponse
        {
            Results = [.. r.Topics.Select(t => new CreatePartitionsResponse.CreatePartitionsTopicResult { Name = t.Name, ErrorCode = (short)ErrorCode.NotController })],
        });
        await using var s1 = StubControllerServer.Start(1, notController);
        await using var s2 = StubControllerServer.Start(2, handler);
        await using var channel = new ControllerChannel([s1.Endpoint, s2.Endpoint], new FakeQuorumView { LeaderId = 1 });
        var controller = new ForwardingClusterController(channel, new FakeMetadataView(), TimeSpan.FromSeconds(10));

        var response = await controller.CreatePartitionsAsync(new CreatePartitionsRequest
        {
            Topics = [new CreatePartitionsRequest.CreatePartitionsTopic { Name = "t", Count = 5 }],
        }, CancellationToken.None);

        Assert.Equal(("t", (short)0), (response.Results.Single().Name, response.Results.Single().ErrorCode));
        Assert.Equal(1, handler.Calls);
    }
}
