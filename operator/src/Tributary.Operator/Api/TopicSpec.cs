using System.ComponentModel;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>Desired state of a topic.</summary>
[Description("Desired state of the topic.")]
public sealed class TopicSpec
{
    [Description("The KafkaCluster that holds the topic. Cannot be changed.")]
    [Immutable("clusterRef cannot be changed; create a new Topic instead")]
    public required ClusterReference ClusterRef { get; set; }

    [Description("Kafka topic name when it differs from metadata.name (Kafka allows '_' and upper case, Kubernetes names do not). Cannot be changed.")]
    [SchemaPattern("^[a-zA-Z0-9._-]{1,249}$")]
    [CelRule("self != '.' && self != '..'", "topicName cannot be '.' or '..'")]
    [Immutable("topicName cannot be changed; create a new Topic instead")]
    public string? TopicName { get; set; }

    [Description("Number of partitions. It can grow, never shrink (the operator reports Stalled).")]
    [SchemaMinimum(1)]
    [SchemaMaximum(100000)]
    [SchemaDefault(1)]
    public int Partitions { get; set; } = 1;

    [Description("Replicas per partition. Changing it after creation is refused (the operator reports Stalled).")]
    [SchemaMinimum(1)]
    [SchemaMaximum(32)]
    [SchemaDefault(3)]
    public int ReplicationFactor { get; set; } = 3;

    [Description("Topic configuration, e.g. retention.ms, cleanup.policy, min.insync.replicas.")]
    public Dictionary<string, string>? Config { get; set; }

    [Description("Delete: deleting the resource deletes the topic and its data. Retain: the topic is kept.")]
    [SchemaDefault("Delete")]
    public DeletionPolicy DeletionPolicy { get; set; } = DeletionPolicy.Delete;
}
