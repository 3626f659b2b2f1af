using Tributary.Broker.Topics;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Admin;

/// <summary>CreateTopics, DeleteTopics and CreatePartitions over the wire.</summary>
public class TopicAdminHandlerTests
{
    private static CreateTopicsRequest Create(string name, int partitions, short rf, bool validateOnly = false, params (string, string?)[] configs) => new()
    {
        validateOnly = validateOnly,
        Topics = [new CreateTopicsRequest.CreatableTopic
        {
            Name = name,
            NumPartitions = partitions,
            ReplicationFactor = rf,
            Configs = [.. configs.Select(c => new CreateTopicsRequest.CreatableTopicConfig { Name = c.Item1, Value = c.Item2 })],
        }],
    };

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(7)]
    public async Task CreateTopicsAtSeveralVersions(short version)
    {
        await using var broker = await AdminBroker.StartAsync();
        var response = await broker.Send<CreateTopicsResponse>(Create("new", 2, 1, false, ("retention.ms", "1234")), version);
        var result = Assert.Single(response.Topics);
        Assert.Equal(("new", (short)0), (result.Name, result.ErrorCode));
        Assert.Equal(2, broker.Stack.Image.Topic("new")!.Partitions.Count);
        if (version >= 5)
        {
            Assert.Equal((2, (short)1), (result.NumPartitions, result.ReplicationFactor));
            var retention = Assert.Single(result.Configs!, c => c.Name == "retention.ms");
            Assert.Equal(("1234", (sbyte)ConfigSource.TopicConfig), (retention.Value, retention.ConfigSource));
            Assert.Equal((sbyte)ConfigSource.DefaultConfig, result.Configs!.Single(c => c.Name == "segment.bytes").ConfigSource);
        }

        if (version >= 7)
        {
            Assert.Equal(broker.Stack.Image.Topic("new")!.Id, result.TopicId);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public async Task CreateTopicsErrors(short version)
    {
        await using var broker = await AdminBroker.StartAsync();
        await broker.CreateTopic("exists");
        async Task<CreateTopicsResponse.CreatableTopicResult> One(CreateTopicsRequest r) => (await broker.Send<CreateTopicsResponse>(r, version)).Topics[0];

        Assert.Equal((short)ErrorCode.TopicAlreadyExists, (await One(Create("exists", 1, 1))).ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidPartitions, (await One(Create("p", 0, 1))).ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidReplicationFactor, (await One(Create("r", 1, 2))).ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidConfig, (await One(Create("c", 1, 1, false, ("segment.bytes", "tiny")))).ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidConfig, (await One(Create("c", 1, 1, false, ("unknown.key", "1")))).ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidTopicException, (await One(Create("..", 1, 1))).ErrorCode);
        var error = await One(Create("r", 1, 2));
        Assert.Contains("replication factor", error.ErrorMessage, StringComparison.Ordinal);

        var dry = await One(Create("dry", 1, 1, validateOnly: true));
        Assert.Equal(0, dry.ErrorCode);
        Assert.Null(broker.Stack.Image.Topic("dry"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task DeleteTopicsByName(short version)
    {
        await using var broker = await AdminBroker.StartAsync();
        await broker.CreateTopic("doomed");
        var response = await broker.Send<DeleteTopicsResponse>(new DeleteTopicsRequest { TopicNames = ["doomed", "never-was", TopicNames.ConsumerOffsets] }, version);
        Assert.Equal(["doomed", "never-was", TopicNames.ConsumerOffsets], response.Responses.Select(r => r.Name));
        Assert.Equal([0, (short)ErrorCode.UnknownTopicOrPartition, (short)ErrorCode.InvalidRequest], response.Responses.Select(r => r.ErrorCode));
        Assert.Null(broker.Stack.Image.Topic("doomed"));
    }

    [Fact]
    public async Task DeleteTopicsV6ById()
    {
        await using var broker = await AdminBroker.StartAsync();
        await broker.CreateTopic("by-id");
        var id = broker.Stack.Image.Topic("by-id")!.Id;
        var unknown = Guid.NewGuid();
        var response = await broker.Send<DeleteTopicsResponse>(new DeleteTopicsRequest
        {
            Topics =
            [
                new DeleteTopicsRequest.DeleteTopicState { Name = null, TopicId = id },
                new DeleteTopicsRequest.DeleteTopicState { Name = null, TopicId = unknown },
                new DeleteTopicsRequest.DeleteTopicState { Name = "x", TopicId = unknown },
            ],
        }, 6);
        Assert.Equal(("by-id", id, (short)0), (response.Responses[0].Name, response.Responses[0].TopicId, response.Responses[0].ErrorCode));
        Assert.Equal((short)ErrorCode.UnknownTopicId, response.Responses[1].ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidRequest, response.Responses[2].ErrorCode);
        Assert.Null(broker.Stack.Image.Topic("by-id"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task CreatePartitions(short version)
    {
        await using var broker = await AdminBroker.StartAsync();
        await broker.CreateTopic("grow", 2);
        CreatePartitionsRequest Grow(int count, bool validateOnly = false, string name = "grow") => new()
        {
            ValidateOnly = validateOnly,
            TimeoutMs = 1000,
            Topics = [new CreatePartitionsRequest.CreatePartitionsTopic { Name = name, Count = count, Assignments = null }],
        };

        Assert.Equal((short)ErrorCode.InvalidPartitions, (await broker.Send<CreatePartitionsResponse>(Grow(1), version)).Results[0].ErrorCode);
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, (await broker.Send<CreatePartitionsResponse>(Grow(5, name: "nope"), version)).Results[0].ErrorCode);
        Assert.Equal(0, (await broker.Send<CreatePartitionsResponse>(Grow(4, validateOnly: true), version)).Results[0].ErrorCode);
        Assert.Equal(2, broker.Stack.Image.Topic("grow")!.Partitions.Count);
        var ok = await broker.Send<CreatePartitionsResponse>(Grow(4), version);
        Assert.Equal(("grow", (short)0), (ok.Results[0].Name, ok.Results[0].ErrorCode));
        Assert.Equal(4, broker.Stack.Image.Topic("grow")!.Partitions.Count);

        var withAssignment = new CreatePartitionsRequest
        {
            Topics = [new CreatePartitionsRequest.CreatePartitionsTopic { Name = "grow", Count = 6, Assignments = [new() { BrokerIds = [1] }] }],
        };
        Assert.Equal((short)ErrorCode.InvalidReplicaAssignment, (await broker.Send<CreatePartitionsResponse>(withAssignment, version)).Results[0].ErrorCode);
    }
}
