using Tributary.Broker.Metadata;
using Tributary.Broker.Topics;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Metadata;
using Xunit;

namespace Tributary.Broker.Tests.Metadata;

public class MetadataDeltaTests
{
    private static readonly Guid TopicId = Guid.Parse("0b5b6bd8-9a6a-4bd0-9b0e-6a1b5e6b2c31");

    private static MetadataImage Replay(MetadataImage image, params IMetadataRecord[] records) =>
        MetadataDelta.Apply(image, records, image.Offset + records.Length);

    private static MetadataImage WithTopic() => Replay(MetadataImage.Empty("c1"),
        new RegisterBrokerRecord
        {
            BrokerId = 1,
            BrokerEpoch = 5,
            Fenced = false,
            Rack = "zone-a",
            EndPoints = [new RegisterBrokerRecord.BrokerEndpoint { Name = "PLAINTEXT", Host = "h1", Port = 9092, SecurityProtocol = 0 }],
        },
        new TopicRecord { Name = "orders", TopicId = TopicId },
        new PartitionRecord { TopicId = TopicId, PartitionId = 0, Replicas = [1], Isr = [1], Leader = 1, LeaderEpoch = 0, PartitionEpoch = 0 },
        new PartitionRecord { TopicId = TopicId, PartitionId = 1, Replicas = [1], Isr = [1], Leader = 1, LeaderEpoch = 0, PartitionEpoch = 0 },
        new ConfigRecord { ResourceType = (sbyte)ConfigResourceType.Topic, ResourceName = "orders", Name = "retention.ms", Value = "1000" });

    [Fact]
    public void TopicPartitionsAndConfigsAreReplayed()
    {
        var image = WithTopic();
        var topic = image.Topic("orders")!;
        Assert.Equal(TopicId, topic.Id);
        Assert.Same(topic, image.Topic(TopicId));
        Assert.Equal([0, 1], topic.Partitions.Keys.Order());
        Assert.Equal(1, image.Partition("orders", 1)!.Leader);
        Assert.Equal("1000", topic.Configs["retention.ms"]);
        Assert.Equal(4, image.Offset);
        var broker = image.Brokers[1];
        Assert.Equal("zone-a", broker.Rack);
        Assert.False(broker.Fenced);
        Assert.Equal(5, broker.Epoch);
        Assert.Equal(new BrokerEndpoint("PLAINTEXT", "h1", 9092, "PLAINTEXT"), broker.Endpoint("PLAINTEXT"));
    }

    [Fact]
    public void ReplayDoesNotChangeTheBaseImage()
    {
        var before = WithTopic();
        var after = Replay(before, new RemoveTopicRecord { TopicId = TopicId });
        Assert.NotNull(before.Topic("orders"));
        Assert.Null(after.Topic("orders"));
        Assert.Null(after.Topic(TopicId));
        Assert.Empty(after.TopicNamesById);
    }

    [Fact]
    public void PartitionChangeBumpsEpochsOnlyWhenTheLeaderChanges()
    {
        var image = WithTopic();
        var isrOnly = Replay(image, new PartitionChangeRecord { TopicId = TopicId, PartitionId = 0, Isr = [1], Leader = -2 });
        var p = isrOnly.Partition("orders", 0)!;
        Assert.Equal((1, 0, 1), (p.Leader, p.LeaderEpoch, p.PartitionEpoch));

        var noLeader = Replay(isrOnly, new PartitionChangeRecord { TopicId = TopicId, PartitionId = 0, Leader = -1, Isr = [] });
        p = noLeader.Partition("orders", 0)!;
        Assert.Equal((-1, 1, 2), (p.Leader, p.LeaderEpoch, p.PartitionEpoch));
        Assert.Empty(p.Isr);
        Assert.Equal([1], p.Replicas);
    }

    [Fact]
    public void ConfigRecordWithNullValueRemovesTheOverride()
    {
        var image = Replay(WithTopic(), new ConfigRecord { ResourceType = (sbyte)ConfigResourceType.Topic, ResourceName = "orders", Name = "retention.ms", Value = null });
        Assert.Empty(image.Topic("orders")!.Configs);
    }

    [Fact]
    public void BrokerConfigsAreClusterWideOrPerBroker()
    {
        var image = Replay(MetadataImage.Empty("c"),
            new ConfigRecord { ResourceType = (sbyte)ConfigResourceType.Broker, ResourceName = "", Name = "log.retention.ms", Value = "5" },
            new ConfigRecord { ResourceType = (sbyte)ConfigResourceType.Broker, ResourceName = "2", Name = "message.max.bytes", Value = "7" });
        Assert.Equal("5", image.BrokerConfigs["log.retention.ms"]);
        Assert.Equal("7", image.BrokerConfigsFor(2)["message.max.bytes"]);
        Assert.Empty(image.BrokerConfigsFor(1));

        var removed = Replay(image, new ConfigRecord { ResourceType = (sbyte)ConfigResourceType.Broker, ResourceName = "2", Name = "message.max.bytes", Value = null });
        Assert.Empty(removed.PerBrokerConfigs);
    }

    [Fact]
    public void FencingAndUnregistering()
    {
        var image = WithTopic();
        var fenced = Replay(image, new FenceBrokerRecord { Id = 1, Epoch = 5 });
        Assert.True(fenced.Brokers[1].Fenced);
        Assert.False(fenced.IsLive(1));
        Assert.Empty(fenced.LiveBrokers);
        var unfenced = Replay(fenced, new BrokerRegistrationChangeRecord { BrokerId = 1, BrokerEpoch = 5, Fenced = -1 });
        Assert.True(unfenced.IsLive(1));
        Assert.Empty(Replay(unfenced, new UnregisterBrokerRecord { BrokerId = 1, BrokerEpoch = 5 }).Brokers);
    }

    [Fact]
    public void ProducerIdsAndFeatures()
    {
        var image = Replay(MetadataImage.Empty("c"),
            new ProducerIdsRecord { BrokerId = 1, BrokerEpoch = 0, NextProducerId = 1000 },
            new FeatureLevelRecord { Name = "metadata.version", FeatureLevel = 21 });
        Assert.Equal(1000, image.NextProducerId);
        Assert.Equal(21, image.Features["metadata.version"]);
        Assert.Empty(Replay(image, new FeatureLevelRecord { Name = "metadata.version", FeatureLevel = 0 }).Features);
    }

    [Fact]
    public void RecordsThatContradictTheImageAreRejected()
    {
        var image = WithTopic();
        Assert.Throws<MetadataReplayException>(() => Replay(image, new PartitionRecord { TopicId = Guid.NewGuid(), PartitionId = 0 }));
        Assert.Throws<MetadataReplayException>(() => Replay(image, new TopicRecord { Name = "orders", TopicId = Guid.NewGuid() }));
        Assert.Throws<MetadataReplayException>(() => Replay(image, new TopicRecord { Name = "other", TopicId = TopicId }));
        Assert.Throws<MetadataReplayException>(() => Replay(image, new ConfigRecord { ResourceType = (sbyte)ConfigResourceType.Topic, ResourceName = "nope", Name = "a", Value = "b" }));
        Assert.Throws<MetadataReplayException>(() => Replay(image, new PartitionChangeRecord { TopicId = TopicId, PartitionId = 9, Leader = 1 }));
    }

    [Fact]
    public void AnEmptyDeltaReturnsTheSameImage()
    {
        var image = WithTopic();
        Assert.Same(image, new MetadataDelta(image).Apply());
    }
}
