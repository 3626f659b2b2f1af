using Tributary.Operator.Api;
using Tributary.Operator.Validation;
using Xunit;

namespace Tributary.Operator.Tests.Validation;

public sealed class OtherKindsValidatorTests
{
    private static Topic Topic(Action<TopicSpec>? configure = null, TopicStatus? status = null)
    {
        var topic = new Topic
        {
            Metadata = new ObjectMeta { Name = "orders", Namespace = "kafka" },
            Spec = new TopicSpec { ClusterRef = new ClusterReference { Name = "orders" }, Partitions = 6, ReplicationFactor = 3 },
            Status = status,
        };
        configure?.Invoke(topic.Spec);
        return topic;
    }

    [Fact]
    public void ValidTopic() => Assert.Empty(TopicValidator.Validate(Topic(), clusterBrokers: 3));

    [Fact]
    public void PartitionsCannotDecrease() =>
        Assert.Equal("spec.partitions cannot decrease from 6 to 3: Kafka cannot remove partitions",
            Assert.Single(TopicValidator.Validate(Topic(s => s.Partitions = 3, new TopicStatus { Partitions = 6, ReplicationFactor = 3 }))));

    [Fact]
    public void ReplicationFactorCannotChange() =>
        Assert.Equal("spec.replicationFactor cannot change from 3 to 2 after creation",
            Assert.Single(TopicValidator.Validate(Topic(s => s.ReplicationFactor = 2, new TopicStatus { Partitions = 6, ReplicationFactor = 3 }))));

    [Fact]
    public void ReplicationFactorAboveBrokers() =>
        Assert.Contains("exceeds the 1 broker(s)", Assert.Single(TopicValidator.Validate(Topic(), clusterBrokers: 1)), StringComparison.Ordinal);

    [Fact]
    public void TopicNameOverrideIsUsedAndChecked()
    {
        Assert.Equal("Orders_V2", TopicValidator.KafkaTopicName(Topic(s => s.TopicName = "Orders_V2")));
        Assert.Contains("not a legal Kafka topic name", Assert.Single(TopicValidator.Validate(Topic(s => s.TopicName = "bad name"))), StringComparison.Ordinal);
    }

    [Fact]
    public void MinInsyncAboveReplicationFactor() =>
        Assert.Contains("min.insync.replicas 4 exceeds", Assert.Single(TopicValidator.Validate(Topic(s => s.Config = new() { ["min.insync.replicas"] = "4" }))), StringComparison.Ordinal);

    [Fact]
    public void ConnectorConfigCannotOverrideSpec()
    {
        var connector = new Connector
        {
            Metadata = new ObjectMeta { Name = "files" },
            Spec = new ConnectorSpec { ClusterRef = new ClusterReference { Name = "orders" }, Class = "FileStreamSource", Config = new() { ["tasks.max"] = "4" } },
        };
        Assert.Equal("spec.config.tasks.max comes from the spec (class, tasksMax, metadata.name) and cannot be set", Assert.Single(ConnectorValidator.Validate(connector)));
    }

    [Fact]
    public void ReplicatorNeedsExactlyOneSourceAndValidPatterns()
    {
        var replicator = new Replicator
        {
            Metadata = new ObjectMeta { Name = "dr" },
            Spec = new ReplicatorSpec
            {
                Source = new ReplicatorSource(),
                Target = new ReplicatorTarget { ClusterRef = new ClusterReference { Name = "orders-dr" } },
                Topics = new NameFilter { Include = ["orders\\..*", "("] },
            },
        };
        var errors = ReplicatorValidator.Validate(replicator);
        Assert.Equal(2, errors.Count);
        Assert.Equal("spec.source must set exactly one of clusterRef or bootstrapServers", errors[0]);
        Assert.StartsWith("spec.topics.include pattern '(' is not a valid regular expression", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void ReplicatorOntoItselfIsRefused()
    {
        var replicator = new Replicator
        {
            Metadata = new ObjectMeta { Name = "loop" },
            Spec = new ReplicatorSpec
            {
                Source = new ReplicatorSource { ClusterRef = new ClusterReference { Name = "orders" } },
                Target = new ReplicatorTarget { ClusterRef = new ClusterReference { Name = "orders" } },
            },
        };
        Assert.Contains("onto themselves", Assert.Single(ReplicatorValidator.Validate(replicator)), StringComparison.Ordinal);
    }
}
