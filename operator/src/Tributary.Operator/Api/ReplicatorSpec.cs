using System.ComponentModel;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>Desired state of a replicator.</summary>
[Description("Desired state of the replicator.")]
public sealed class ReplicatorSpec
{
    [Description("Source cluster.")]
    public required ReplicatorSource Source { get; set; }

    [Description("Target KafkaCluster.")]
    public required ReplicatorTarget Target { get; set; }

    [Description("Topics to replicate.")]
    public NameFilter? Topics { get; set; }

    [Description("Consumer groups whose offsets are synchronised.")]
    public NameFilter? ConsumerGroups { get; set; }

    [Description("Copy topic configuration changes from source to target.")]
    [SchemaDefault(true)]
    public bool SyncTopicConfigs { get; set; } = true;

    [Description("Translate and copy consumer group offsets to the target.")]
    [SchemaDefault(true)]
    public bool SyncGroupOffsets { get; set; } = true;

    [Description("Identical: same topic names. Prefixed: <source alias>.<topic>. Cannot be changed.")]
    [SchemaDefault("Identical")]
    [Immutable("topicNameTransformation cannot be changed after creation")]
    public TopicNameTransformation TopicNameTransformation { get; set; } = TopicNameTransformation.Identical;

    [Description("Alias of the source used by Prefixed names; defaults to the source cluster name.")]
    [SchemaPattern("^[a-zA-Z0-9_-]{1,64}$")]
    public string? SourceAlias { get; set; }

    [Description("Number of replicator pods.")]
    [SchemaMinimum(0)]
    [SchemaMaximum(100)]
    [SchemaDefault(1)]
    public int Replicas { get; set; } = 1;
}
