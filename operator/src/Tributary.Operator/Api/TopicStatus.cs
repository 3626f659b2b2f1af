using System.ComponentModel;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>Observed state of a topic.</summary>
[Description("Observed state of the topic.")]
public sealed class TopicStatus
{
    [Description("Ready, Reconciling and Stalled conditions.")]
    [ListMapKeys("type")]
    public List<Condition>? Conditions { get; set; }

    [Description("metadata.generation last acted on.")]
    public long? ObservedGeneration { get; set; }

    [Description("The Kafka topic name in use.")]
    public string? TopicName { get; set; }

    [Description("Kafka topic id (base64 UUID).")]
    public string? TopicId { get; set; }

    [Description("Partitions the topic has now.")]
    public int? Partitions { get; set; }

    [Description("Replication factor the topic has now.")]
    public int? ReplicationFactor { get; set; }
}
