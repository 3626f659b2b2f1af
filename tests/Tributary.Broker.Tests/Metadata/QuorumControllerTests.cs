using Tributary.Broker.Metadata;
using Tributary.Broker.Topics;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Storage;
using Xunit;

namespace Tributary.Broker.Tests.Metadata;

public class QuorumControllerTests
{
    private static CreateTopicsRequest Create(string name, int partitions = 3, short rf = 1, params (string Key, string? Value)[] configs)
    {
        var request = new CreateTopicsRequest();
        request.Topics.Add(new CreateTopicsRequest.CreatableTopic
        {
            Name = name,
            NumPartitions = partitions,
            ReplicationFactor = rf,
            Configs = [.. configs.Select(c => new CreateTopicsRequest.CreatableTopicConfig { Name = c.Key, Value = c.Value })],
        });
        return request;
    }

    [Fact]
    public async Task StartupRegistersTheBrokerAndCreatesConsumerOffsets()
    {
        await using var stack = await MetadataStack.StartAsync();
        var image = stack.Image;
        var broker = Assert.Single(image.Brokers.Values);
        Assert.Equal(1, broker.Id);
        Assert.False(broker.Fenced);
        Assert.Equal(new BrokerEndpoint("PLAINTEXT", "localhost", 9092, "PLAINTEXT"), Assert.Single(broker.Endpoints));
        Assert.Equal(21, image.Features["metadata.version"]);
        Assert.Equal(1, image.ControllerId);

        var offsets = image.Topic(TopicNames.ConsumerOffsets)!;
        Assert.Equal(3, offsets.Partitions.Count);
        Assert.All(offsets.Partitions.Values, p => Assert.Equal([1], p.Replicas));
        Assert.Equal("compact", offsets.Configs["cleanup.policy"]);
        Assert.Equal((100 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), offsets.Configs["segment.bytes"]);
        var logConfig = stack.Resolver.Resolve(image, TopicNames.ConsumerOffsets);
        Assert.Equal(CleanupPolicy.Compact, logConfig.CleanupPolicy);
        Assert.Equal(100 * 1024 * 1024, logConfig.SegmentBytes);

        var meta = MetaProperties.Read(stack.Dir)!;
        Assert.Equal(image.ClusterId, meta.ClusterId);
        Assert.Equal(1, meta.NodeId);
        Assert.Equal(22, image.ClusterId.Length);
        Assert.True(Directory.Exists(Path.Combine(stack.Dir, "__cluster_metadata-0")));
    }

    [Fact]
    public async Task CreatedTopicsSurviveARestartWithTheSameIdsAndClusterId()
    {
        var first = await MetadataStack.StartAsync();
        var response = await first.Controller.CreateTopicsAsync(Create("orders", 4, 1, ("retention.ms", "60000")), CancellationToken.None);
        var result = Assert.Single(response.Topics);
        Assert.Equal(0, result.ErrorCode);
        Assert.Equal(4, result.NumPartitions);
        Assert.NotEqual(Guid.Empty, result.TopicId);
        var before = first.Image;
        var firstEpoch = before.Brokers[1].Epoch;

        await using var second = await first.Reopen();
        var after = second.Image;
        Assert.Equal(before.ClusterId, after.ClusterId);
        Assert.Equal(result.TopicId, after.Topic("orders")!.Id);
        Assert.Equal(before.Topic(TopicNames.ConsumerOffsets)!.Id, after.Topic(TopicNames.ConsumerOffsets)!.Id);
        Assert.Equal(4, after.Topic("orders")!.Partitions.Count);
        Assert.Equal("60000", after.Topic("orders")!.Configs["retention.ms"]);
        Assert.Equal(60000, second.Resolver.Resolve(after, "orders").RetentionMs);
        // Each start registers again with a new, higher epoch; offsets stay contiguous.
        Assert.True(after.Brokers[1].Epoch > firstEpoch);
        Assert.Equal(before.Offset + 1, after.Brokers[1].Epoch);
    }

    [Fact]
    public async Task ValidateOnlyWritesNothing()
    {
        await using var stack = await MetadataStack.StartAsync();
        var request = Create("dry");
        request.validateOnly = true;
        var offset = stack.Image.Offset;
        var response = await stack.Controller.CreateTopicsAsync(request, CancellationToken.None);
        Assert.Equal(0, response.Topics[0].ErrorCode);
        Assert.Equal(3, response.Topics[0].NumPartitions);
        Assert.Null(stack.Image.Topic("dry"));
        Assert.Equal(offset, stack.Image.Offset);
    }

    [Theory]
    [InlineData("bad name", 1, 1, ErrorCode.InvalidTopicException)]
    [InlineData("ok", 0, 1, ErrorCode.InvalidPartitions)]
    [InlineData("ok", 1, 0, ErrorCode.InvalidReplicationFactor)]
    [InlineData("ok", 1, 3, ErrorCode.InvalidReplicationFactor)]
    [InlineData("__consumer_offsets", 1, 1, ErrorCode.TopicAlreadyExists)]
    public async Task CreateTopicErrors(string name, int partitions, short rf, ErrorCode expected)
    {
        await using var stack = await MetadataStack.StartAsync();
        var response = await stack.Controller.CreateTopicsAsync(Create(name, partitions, rf), CancellationToken.None);
        Assert.Equal((short)expected, response.Topics[0].ErrorCode);
        Assert.False(string.IsNullOrEmpty(response.Topics[0].ErrorMessage));
    }

    [Fact]
    public async Task DefaultsCollisionsDuplicatesAndBadConfigs()
    {
        await using var stack = await MetadataStack.StartAsync(null, ("num.partitions", "2"));
        var defaults = await stack.Controller.CreateTopicsAsync(Create("a.b", -1, -1), CancellationToken.None);
        Assert.Equal(2, defaults.Topics[0].NumPartitions);
        Assert.Equal(1, defaults.Topics[0].ReplicationFactor);

        var collision = await stack.Controller.CreateTopicsAsync(Create("a_b"), CancellationToken.None);
        Assert.Equal((short)ErrorCode.InvalidTopicException, collision.Topics[0].ErrorCode);

        var dup = Create("x");
        dup.Topics.Add(new CreateTopicsRequest.CreatableTopic { Name = "x", NumPartitions = 1, ReplicationFactor = 1 });
        var dupResponse = await stack.Controller.CreateTopicsAsync(dup, CancellationToken.None);
        Assert.All(dupResponse.Topics, t => Assert.Equal((short)ErrorCode.InvalidRequest, t.ErrorCode));

        foreach (var config in new (string, string?)[] { ("no.such.config", "1"), ("retention.ms", "abc"), ("cleanup.policy", "shred"), ("retention.ms", null), ("min.insync.replicas", "0") })
        {
            var bad = await stack.Controller.CreateTopicsAsync(Create("cfg", 1, 1, config), CancellationToken.None);
            Assert.Equal((short)ErrorCode.InvalidConfig, bad.Topics[0].ErrorCode);
        }

        Assert.Null(stack.Image.Topic("x"));
        Assert.Null(stack.Image.Topic("cfg"));
    }

    [Fact]
    public async Task ManualAssignmentsAreValidated()
    {
        await using var stack = await MetadataStack.StartAsync();
        CreateTopicsRequest Manual(short rf, params int[][] replicas)
        {
            var r = new CreateTopicsRequest();
            r.Topics.Add(new CreateTopicsRequest.CreatableTopic
            {
                Name = "manual",
                NumPartitions = -1,
                ReplicationFactor = rf,
                Assignments = [.. replicas.Select((b, i) => new CreateTopicsRequest.CreatableReplicaAssignment { PartitionIndex = i, BrokerIds = [.. b] })],
            });
            return r;
        }

        Assert.Equal((short)ErrorCode.InvalidReplicaAssignment, (await stack.Controller.CreateTopicsAsync(Manual(-1, [2]), default)).Topics[0].ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidReplicaAssignment, (await stack.Controller.CreateTopicsAsync(Manual(-1, [1, 1]), default)).Topics[0].ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidReplicaAssignment, (await stack.Controller.CreateTopicsAsync(Manual(-1, [[]]), default)).Topics[0].ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidRequest, (await stack.Controller.CreateTopicsAsync(Manual(1, [1]), default)).Topics[0].ErrorCode);
        var ok = await stack.Controller.CreateTopicsAsync(Manual(-1, [1], [1]), default);
        Assert.Equal(0, ok.Topics[0].ErrorCode);
        Assert.Equal(2, stack.Image.Topic("manual")!.Partitions.Count);
    }

    [Fact]
    public async Task DeleteTopicsByNameAndId()
    {
        await using var stack = await MetadataStack.StartAsync();
        await stack.Controller.CreateTopicsAsync(Create("one"), default);
        await stack.Controller.CreateTopicsAsync(Create("two"), default);
        var twoId = stack.Image.Topic("two")!.Id;
        var results = await stack.Controller.DeleteTopicsAsync(
        [
            new DeleteTopicsRequest.DeleteTopicState { Name = "one" },
            new DeleteTopicsRequest.DeleteTopicState { TopicId = twoId },
            new DeleteTopicsRequest.DeleteTopicState { Name = "missing" },
            new DeleteTopicsRequest.DeleteTopicState { TopicId = Guid.NewGuid() },
            new DeleteTopicsRequest.DeleteTopicState { Name = TopicNames.ConsumerOffsets },
        ], default);
        Assert.Equal([0, 0, (short)ErrorCode.UnknownTopicOrPartition, (short)ErrorCode.UnknownTopicId, (short)ErrorCode.InvalidRequest], results.Select(r => r.ErrorCode));
        Assert.Equal("two", results[1].Name);
        Assert.Null(stack.Image.Topic("one"));
        Assert.Null(stack.Image.Topic("two"));

        await using var reopened = await MetadataStack.StartAsync(MetadataStack.NewDir(), ("delete.topic.enable", "false"));
        await reopened.Controller.CreateTopicsAsync(Create("kept"), default);
        var disabled = await reopened.Controller.DeleteTopicsAsync([new DeleteTopicsRequest.DeleteTopicState { Name = "kept" }], default);
        Assert.Equal((short)ErrorCode.TopicDeletionDisabled, disabled[0].ErrorCode);
    }

    [Fact]
    public async Task DeletedTopicStaysDeletedAfterRestartAndItsNameCanBeReused()
    {
        var first = await MetadataStack.StartAsync();
        await first.Controller.CreateTopicsAsync(Create("gone"), default);
        var oldId = first.Image.Topic("gone")!.Id;
        await first.Controller.DeleteTopicsAsync([new DeleteTopicsRequest.DeleteTopicState { Name = "gone" }], default);
        await first.Controller.CreateTopicsAsync(Create("gone", 1), default);
        var newId = first.Image.Topic("gone")!.Id;
        Assert.NotEqual(oldId, newId);
        await using var second = await first.Reopen();
        Assert.Equal(newId, second.Image.Topic("gone")!.Id);
        Assert.Single(second.Image.Topic("gone")!.Partitions);
    }

    [Fact]
    public async Task CreatePartitionsGrowsButNeverShrinks()
    {
        await using var stack = await MetadataStack.StartAsync();
        await stack.Controller.CreateTopicsAsync(Create("grow", 2), default);
        CreatePartitionsRequest Grow(string name, int count, bool validateOnly = false) => new()
        {
            ValidateOnly = validateOnly,
            Topics = [new CreatePartitionsRequest.CreatePartitionsTopic { Name = name, Count = count, Assignments = null }],
        };

        Assert.Equal((short)ErrorCode.InvalidPartitions, (await stack.Controller.CreatePartitionsAsync(Grow("grow", 1), default)).Results[0].ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidPartitions, (await stack.Controller.CreatePartitionsAsync(Grow("grow", 2), default)).Results[0].ErrorCode);
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, (await stack.Controller.CreatePartitionsAsync(Grow("nope", 4), default)).Results[0].ErrorCode);
        Assert.Equal(0, (await stack.Controller.CreatePartitionsAsync(Grow("grow", 5, validateOnly: true), default)).Results[0].ErrorCode);
        Assert.Equal(2, stack.Image.Topic("grow")!.Partitions.Count);
        Assert.Equal(0, (await stack.Controller.CreatePartitionsAsync(Grow("grow", 5), default)).Results[0].ErrorCode);
        var partitions = stack.Image.Topic("grow")!.Partitions;
        Assert.Equal([0, 1, 2, 3, 4], partitions.Keys.Order());
        Assert.All(partitions.Values, p => Assert.Equal(1, p.Leader));
    }

    [Fact]
    public async Task AlterAndIncrementalConfigsForTopicsAndBrokers()
    {
        await using var stack = await MetadataStack.StartAsync();
        await stack.Controller.CreateTopicsAsync(Create("cfg", 1, 1, ("retention.ms", "1000"), ("cleanup.policy", "delete")), default);

        var incremental = new IncrementalAlterConfigsRequest
        {
            Resources =
            [
                new IncrementalAlterConfigsRequest.AlterConfigsResource
                {
                    ResourceType = (sbyte)ConfigResourceType.Topic,
                    ResourceName = "cfg",
                    Configs =
                    [
                        new IncrementalAlterConfigsRequest.AlterableConfig { Name = "retention.ms", ConfigOperation = 1 },
                        new IncrementalAlterConfigsRequest.AlterableConfig { Name = "cleanup.policy", ConfigOperation = 2, Value = "compact" },
                        new IncrementalAlterConfigsRequest.AlterableConfig { Name = "segment.bytes", ConfigOperation = 0, Value = "1048576" },
                    ],
                },
                new IncrementalAlterConfigsRequest.AlterConfigsResource
                {
                    ResourceType = (sbyte)ConfigResourceType.Broker,
                    ResourceName = "",
                    Configs = [new IncrementalAlterConfigsRequest.AlterableConfig { Name = "log.retention.ms", ConfigOperation = 0, Value = "7777" }],
                },
            ],
        };
        var results = await stack.Controller.IncrementalAlterConfigsAsync(incremental, default);
        Assert.All(results, r => Assert.Equal(ErrorCode.None, r.Error));
        var topic = stack.Image.Topic("cfg")!;
        Assert.False(topic.Configs.ContainsKey("retention.ms"));
        Assert.Equal("delete,compact", topic.Configs["cleanup.policy"]);
        var log = stack.Resolver.Resolve(stack.Image, "cfg");
        Assert.Equal(CleanupPolicy.Delete | CleanupPolicy.Compact, log.CleanupPolicy);
        Assert.Equal(1048576, log.SegmentBytes);
        Assert.Equal(7777, log.RetentionMs);

        // Legacy AlterConfigs replaces the whole set.
        var alter = new AlterConfigsRequest
        {
            Resources = [new AlterConfigsRequest.AlterConfigsResource
            {
                ResourceType = (sbyte)ConfigResourceType.Topic,
                ResourceName = "cfg",
                Configs = [new AlterConfigsRequest.AlterableConfig { Name = "max.message.bytes", Value = "2048" }],
            }],
        };
        Assert.Equal(ErrorCode.None, (await stack.Controller.AlterConfigsAsync(alter, default))[0].Error);
        Assert.Equal(["max.message.bytes"], stack.Image.Topic("cfg")!.Configs.Keys);
    }

    [Fact]
    public async Task ConfigChangeErrors()
    {
        await using var stack = await MetadataStack.StartAsync();
        await stack.Controller.CreateTopicsAsync(Create("cfg"), default);
        async Task<ErrorCode> Incremental(sbyte type, string name, string key, sbyte op, string? value)
        {
            var request = new IncrementalAlterConfigsRequest
            {
                Resources = [new IncrementalAlterConfigsRequest.AlterConfigsResource
                {
                    ResourceType = type,
                    ResourceName = name,
                    Configs = [new IncrementalAlterConfigsRequest.AlterableConfig { Name = key, ConfigOperation = op, Value = value }],
                }],
            };
            return (await stack.Controller.IncrementalAlterConfigsAsync(request, default))[0].Error;
        }

        Assert.Equal(ErrorCode.UnknownTopicOrPartition, await Incremental(2, "missing", "retention.ms", 0, "1"));
        Assert.Equal(ErrorCode.InvalidConfig, await Incremental(2, "cfg", "retention.ms", 2, "1"));
        Assert.Equal(ErrorCode.InvalidConfig, await Incremental(2, "cfg", "bogus", 0, "1"));
        Assert.Equal(ErrorCode.InvalidConfig, await Incremental(2, "cfg", "cleanup.policy", 3, "delete"));
        Assert.Equal(ErrorCode.InvalidRequest, await Incremental(2, "cfg", "retention.ms", 9, "1"));
        Assert.Equal(ErrorCode.InvalidConfig, await Incremental(4, "", "num.io.threads", 0, "4"));
        Assert.Equal(ErrorCode.InvalidRequest, await Incremental(4, "x", "log.retention.ms", 0, "4"));
        Assert.Equal(ErrorCode.InvalidRequest, await Incremental(99, "x", "a", 0, "4"));
        Assert.Empty(stack.Image.Topic("cfg")!.Configs);
    }

    [Fact]
    public async Task ProducerIdBlocksAreNeverReusedAcrossRestarts()
    {
        var first = await MetadataStack.StartAsync();
        var epoch = first.Image.Brokers[1].Epoch;
        var (e1, b1) = await first.Controller.AllocateProducerIdsAsync(1, epoch, default);
        var (e2, b2) = await first.Controller.AllocateProducerIdsAsync(1, -1, default);
        Assert.Equal((ErrorCode.None, ErrorCode.None), (e1, e2));
        Assert.Equal(0, b1.FirstId);
        Assert.Equal(1000, b1.Size);
        Assert.Equal(1000, b2.FirstId);
        Assert.Equal(ErrorCode.StaleBrokerEpoch, (await first.Controller.AllocateProducerIdsAsync(1, epoch + 100, default)).Error);
        Assert.Equal(ErrorCode.BrokerIdNotRegistered, (await first.Controller.AllocateProducerIdsAsync(9, -1, default)).Error);

        await using var second = await first.Reopen();
        var (_, b3) = await second.Controller.AllocateProducerIdsAsync(1, -1, default);
        Assert.Equal(2000, b3.FirstId);
    }

    [Fact]
    public async Task PublishesEveryCommittedChange()
    {
        await using var stack = await MetadataStack.StartAsync();
        var seen = new List<(MetadataImage Previous, MetadataImage Current)>();
        stack.Store.Changed += (p, c) => seen.Add((p, c));
        await stack.Controller.CreateTopicsAsync(Create("watched"), default);
        var (previous, current) = Assert.Single(seen);
        Assert.Null(previous.Topic("watched"));
        Assert.NotNull(current.Topic("watched"));
        Assert.Same(stack.Image, current);
        Assert.Equal(["watched"], stack.Resolver.TopicsWithChangedConfigs(previous, current));
    }

    [Fact]
    public async Task MetaPropertiesForAnotherClusterOrNodeStopsStartup()
    {
        var dir = MetadataStack.NewDir();
        try
        {
            new MetaProperties("someOtherCluster00000A", 1, null).Write(dir);
            await Assert.ThrowsAsync<InvalidOperationException>(() => MetadataStack.StartAsync(dir, ("cluster.id", "abcdefghijklmnopqrstuv")));
            new MetaProperties("someOtherCluster00000A", 2, null).Write(dir);
            await Assert.ThrowsAsync<InvalidOperationException>(() => MetadataStack.StartAsync(dir));
        }
        finally
        {
            MetadataStack.DeleteDir(dir);
        }
    }

    [Fact]
    public async Task ConfiguredClusterIdIsUsedOnFirstStart()
    {
        await using var stack = await MetadataStack.StartAsync(null, ("cluster.id", "abcdefghijklmnopqrstuv"));
        Assert.Equal("abcdefghijklmnopqrstuv", stack.Image.ClusterId);
        Assert.Equal("abcdefghijklmnopqrstuv", MetaProperties.Read(stack.Dir)!.ClusterId);
    }
}
