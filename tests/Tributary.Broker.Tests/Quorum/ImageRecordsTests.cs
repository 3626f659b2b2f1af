using Tributary.Broker.Metadata;
using Tributary.Broker.Quorum;
using Tributary.Broker.Topics;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Metadata;
using Tributary.Protocol.Primitives;
using Xunit;

namespace Tributary.Broker.Tests.Quorum;

public sealed class ImageRecordsTests
{
    private static readonly Guid TopicA = Guid.Parse("0f0e0d0c-0b0a-0908-0706-050403020100");
    private static readonly Guid TopicB = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");

    /// <summary>An image touched by every record type the delta models, built at varied offsets.</summary>
    internal static MetadataImage RichImage()
    {
        var delta = new MetadataDelta(MetadataImage.Empty("cluster-x"));
        var offset = 0L;
        void Add(IMetadataRecord record) => delta.Replay(record, offset++);

        Add(new FeatureLevelRecord { Name = "metadata.version", FeatureLevel = 21 });
        Add(new FeatureLevelRecord { Name = "kraft.version", FeatureLevel = 1 });
        Add(Broker(1, "a", fenced: false));
        Add(Broker(2, null, fenced: true));
        Add(new TopicRecord { Name = "orders", TopicId = TopicA });
        Add(new PartitionRecord { TopicId = TopicA, PartitionId = 0, Replicas = [1, 2], Isr = [1, 2], Leader = 1, LeaderEpoch = 3, PartitionEpoch = 7 });
        Add(new PartitionRecord { TopicId = TopicA, PartitionId = 1, Replicas = [2, 1, 3], Isr = [2], Leader = 2, LeaderEpoch = 0, PartitionEpoch = 0, AddingReplicas = [3] });
        Add(new ConfigRecord { ResourceType = (sbyte)ConfigResourceType.Topic, ResourceName = "orders", Name = "retention.ms", Value = "1000" });
        Add(new ConfigRecord { ResourceType = (sbyte)ConfigResourceType.Topic, ResourceName = "orders", Name = "cleanup.policy", Value = "compact" });
        Add(new TopicRecord { Name = "__consumer_offsets", TopicId = TopicB });
        Add(new PartitionRecord { TopicId = TopicB, PartitionId = 0, Replicas = [1], Isr = [1], Leader = 1, LeaderEpoch = 0, PartitionEpoch = 0 });
        Add(new PartitionChangeRecord { TopicId = TopicB, PartitionId = 0, Leader = -1, Isr = [] });
        Add(new ConfigRecord { ResourceType = (sbyte)ConfigResourceType.Broker, ResourceName = "", Name = "log.retention.ms", Value = "5" });
        Add(new ConfigRecord { ResourceType = (sbyte)ConfigResourceType.Broker, ResourceName = "2", Name = "log.cleaner.threads", Value = "2" });
        Add(new ProducerIdsRecord { BrokerId = 1, BrokerEpoch = 3, NextProducerId = 5000 });
        Add(new UnfenceBrokerRecord { Id = 2, Epoch = 3 });
        Add(Broker(3, "c", fenced: false));
        Add(new AccessControlEntryRecord { Id = TopicB, ResourceType = 2, ResourceName = "orders", PatternType = 3, Principal = "User:*", Host = "*", Operation = 3, PermissionType = 3 });
        Add(new AccessControlEntryRecord { Id = TopicA, ResourceType = 3, ResourceName = "app-", PatternType = 4, Principal = "User:bob", Host = "10.0.0.1", Operation = 2, PermissionType = 2 });
        Add(new AccessControlEntryRecord { Id = Guid.Parse("99999999-4455-6677-8899-aabbccddeeff"), ResourceType = 4, ResourceName = "kafka-cluster", PatternType = 3, Principal = "User:x", Host = "*", Operation = 7, PermissionType = 3 });
        Add(new RemoveAccessControlEntryRecord { Id = Guid.Parse("99999999-4455-6677-8899-aabbccddeeff") });
        return delta.Apply();
    }

    private static RegisterBrokerRecord Broker(int id, string? rack, bool fenced) => new()
    {
        BrokerId = id,
        BrokerEpoch = 100 + id,
        IncarnationId = new Guid(id, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
        Rack = rack,
        Fenced = fenced,
        EndPoints = [new RegisterBrokerRecord.BrokerEndpoint { Name = "PLAINTEXT", Host = "127.0.0.1", Port = (ushort)(9090 + id), SecurityProtocol = 0 }],
    };

    [Fact]
    public void Records_replayed_onto_an_empty_image_give_the_same_image()
    {
        var image = RichImage();
        Assert.NotEmpty(image.Topics);
        Assert.NotEmpty(image.PerBrokerConfigs);

        var delta = new MetadataDelta(MetadataImage.Empty(image.ClusterId));
        foreach (var (record, offset) in ImageRecords.ToRecords(image))
        {
            // Through the wire format too: a snapshot stores serialized records.
            delta.Replay(MetadataRecordSerde.Deserialize(MetadataRecordSerde.Serialize(record)).Record, offset);
        }

        ImageJson.AssertEqual(image, delta.Apply() with { Offset = image.Offset });
    }

    [Fact]
    public void A_snapshot_round_trips_the_image_and_takes_its_end_offset()
    {
        var image = RichImage();
        var bytes = MetadataSnapshot.Write(image, timestamp: 1234);

        var loaded = MetadataSnapshot.Read(bytes, image.ClusterId, image.Offset + 1);

        ImageJson.AssertEqual(image, loaded);
        Assert.Equal(image.Offset, loaded.Offset);
    }

    [Fact]
    public void An_empty_image_gives_an_empty_snapshot()
    {
        var empty = MetadataImage.Empty("c");
        Assert.Empty(ImageRecords.ToRecords(empty));
        var loaded = MetadataSnapshot.Read(MetadataSnapshot.Write(empty, 0), "c", 0);
        ImageJson.AssertEqual(empty, loaded);
    }

    [Fact]
    public void A_corrupt_snapshot_is_rejected()
    {
        var bytes = MetadataSnapshot.Write(RichImage(), 0);
        bytes[^3] ^= 0x5A;
        Assert.ThrowsAny<Exception>(() => MetadataSnapshot.Read(bytes, "cluster-x", 20));
    }

    [Fact]
    public void The_metadata_topic_id_is_kraft_fixed_uuid()
    {
        Assert.Equal("AAAAAAAAAAAAAAAAAAAAAQ", KafkaUuid.Format(MetadataTopic.Id));
        Assert.Equal(TopicNames.ClusterMetadata, MetadataTopic.Name);
    }
}
