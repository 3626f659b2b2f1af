using Tributary.Broker.Config;
using Tributary.Broker.Metadata;
using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Topics;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Metadata;
using Xunit;

namespace Tributary.Broker.Tests.Metadata;

/// <summary>Rack-aware placement through the controller: CreateTopics, CreatePartitions and __consumer_offsets.</summary>
public class ReplicaPlacerControllerTests
{
    private static readonly (int Id, string? Rack, bool Fenced)[] SixBrokersThreeRacks =
        [(1, "rack-a", false), (2, "rack-a", false), (3, "rack-b", false), (4, "rack-b", false), (5, "rack-c", false), (6, "rack-c", false)];

    /// <summary>An image with the given brokers registered (fenced or not).</summary>
    internal static MetadataImage Image(params (int Id, string? Rack, bool Fenced)[] brokers) =>
        MetadataDelta.Apply(MetadataImage.Empty("rack-test"), brokers.Select(Register), brokers.Length - 1);

    private static RegisterBrokerRecord Register((int Id, string? Rack, bool Fenced) b) => new()
    {
        BrokerId = b.Id,
        BrokerEpoch = 10 + b.Id,
        IncarnationId = Guid.NewGuid(),
        Fenced = b.Fenced,
        Rack = b.Rack,
        EndPoints = [new RegisterBrokerRecord.BrokerEndpoint { Name = "PLAINTEXT", Host = $"b{b.Id}", Port = 9092, SecurityProtocol = 0 }],
    };

    private static BrokerConfig Config(params (string Key, string Value)[] extra) =>
        BrokerConfig.Parse(MetadataStack.Props(Path.Combine(Path.GetTempPath(), "tributary-rack-unused"), extra), new Dictionary<string, string>());

    private static CreateTopicsRequest Create(string name, int partitions, short rf)
    {
        var request = new CreateTopicsRequest();
        request.Topics.Add(new CreateTopicsRequest.CreatableTopic { Name = name, NumPartitions = partitions, ReplicationFactor = rf });
        return request;
    }

    private static string RackOf(MetadataImage image, int broker) => image.Brokers[broker].Rack!;

    private static MetadataImage Commit(MetadataImage image, IReadOnlyList<IMetadataRecord> records) =>
        MetadataDelta.Apply(image, records, image.Offset + records.Count);

    private static MetadataImage CreateTopic(MetadataImage image, string name, int partitions, short rf, int seed)
    {
        var config = Config();
        var plan = TopicCreation.Plan(image, Create(name, partitions, rf), config, new TopicConfigResolver(config), Guid.NewGuid, new Random(seed));
        Assert.Equal(0, Assert.Single(plan.Result.Topics).ErrorCode);
        return Commit(image, plan.Records);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void CreateTopicsOnThreeRacksPutsEveryPartitionOnThreeRacks(int seed)
    {
        var image = CreateTopic(Image(SixBrokersThreeRacks), "orders", 12, 3, seed);
        var topic = image.Topic("orders")!;
        Assert.Equal(12, topic.Partitions.Count);
        foreach (var p in topic.Partitions.Values)
        {
            Assert.Equal(3, p.Replicas.Select(b => RackOf(image, b)).Distinct().Count());
            Assert.Equal(p.Replicas[0], p.Leader);
            Assert.Equal(p.Replicas, p.Isr);
        }

        Assert.All(image.Brokers.Keys, b => Assert.Equal(2, topic.Partitions.Values.Count(p => p.Leader == b)));
        Assert.All(image.Brokers.Keys, b => Assert.Equal(6, topic.Partitions.Values.Count(p => p.Replicas.Contains(b))));
    }

    [Fact]
    public void FencedBrokersGetNoReplicasAndCountAgainstTheReplicationFactor()
    {
        var image = Image((1, "rack-a", false), (2, "rack-a", true), (3, "rack-b", false), (4, "rack-c", true));
        var config = Config();
        var ok = TopicCreation.Plan(image, Create("t", 4, 2), config, new TopicConfigResolver(config), Guid.NewGuid, new Random(5));
        Assert.Equal(0, ok.Result.Topics[0].ErrorCode);
        var partitions = ok.Records.OfType<PartitionRecord>().ToList();
        Assert.All(partitions, p => Assert.Equal([1, 3], p.Replicas.Order()));

        var tooMany = TopicCreation.Plan(image, Create("t", 4, 3), config, new TopicConfigResolver(config), Guid.NewGuid, new Random(5));
        Assert.Equal((short)ErrorCode.InvalidReplicationFactor, tooMany.Result.Topics[0].ErrorCode);
        Assert.Contains("only 2 broker(s) are registered", tooMany.Result.Topics[0].ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(tooMany.Records);
    }

    [Fact]
    public void CreatePartitionsKeepsRacksDistinctAndLeadersBalanced()
    {
        var image = CreateTopic(Image(SixBrokersThreeRacks), "orders", 4, 3, seed: 9);
        var request = new CreatePartitionsRequest();
        request.Topics.Add(new CreatePartitionsRequest.CreatePartitionsTopic { Name = "orders", Count = 12, Assignments = null });
        var plan = PartitionCreation.Plan(image, request, new Random(4));
        Assert.Equal(0, Assert.Single(plan.Result.Results).ErrorCode);
        Assert.Equal(8, plan.Records.Count);
        image = Commit(image, plan.Records);

        var topic = image.Topic("orders")!;
        Assert.Equal(Enumerable.Range(0, 12), topic.Partitions.Keys.Order());
        Assert.All(topic.Partitions.Values, p => Assert.Equal(3, p.Replicas.Select(b => RackOf(image, b)).Distinct().Count()));
        Assert.All(image.Brokers.Keys, b => Assert.Equal(2, topic.Partitions.Values.Count(p => p.Replicas[0] == b)));
    }

    [Fact]
    public async Task ConsumerOffsetsAndNewTopicsThroughTheControllerAreRackAware()
    {
        var committer = new InMemoryCommitter(Image(SixBrokersThreeRacks));
        var config = Config(("broker.rack", "rack-a"), ("offsets.topic.num.partitions", "6"));
        using var controller = new QuorumController(config, committer, new TopicConfigResolver(config), random: new Random(3));
        await controller.StartAsync(CancellationToken.None);

        var image = committer.Current;
        var offsets = image.Topic(TopicNames.ConsumerOffsets)!;
        Assert.Equal(6, offsets.Partitions.Count);
        Assert.All(offsets.Partitions.Values, p => Assert.Equal(3, p.Replicas.Select(b => RackOf(image, b)).Distinct().Count()));
        Assert.All(image.Brokers.Keys, b => Assert.Single(offsets.Partitions.Values, p => p.Leader == b));

        var response = await controller.CreateTopicsAsync(Create("payments", 9, 2), CancellationToken.None);
        Assert.Equal(0, Assert.Single(response.Topics).ErrorCode);
        image = committer.Current;
        Assert.All(image.Topic("payments")!.Partitions.Values, p => Assert.Equal(2, p.Replicas.Select(b => RackOf(image, b)).Distinct().Count()));
    }

    /// <summary>Commits by replaying onto an in-memory image, so the controller can run over many brokers.</summary>
    private sealed class InMemoryCommitter(MetadataImage image) : IMetadataCommitter
    {
        public MetadataImage Current { get; private set; } = image;

        public ValueTask<MetadataImage> CommitAsync(IReadOnlyList<IMetadataRecord> records, CancellationToken ct)
        {
            Current = MetadataDelta.Apply(Current, records, Current.Offset + records.Count);
            return ValueTask.FromResult(Current);
        }
    }
}
