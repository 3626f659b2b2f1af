using System.ComponentModel;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>Cross-cluster replication (MSK Replicator).</summary>
[CustomResource(KafkaApi.Group, KafkaApi.Version, "Replicator", "replicators", ShortNames = "krep", Categories = KafkaApi.Category)]
[Description("Replicator copies topics, topic configuration and consumer group offsets from a source cluster to a target KafkaCluster (like MSK Replicator).")]
[PrinterColumn("Source", "string", ".spec.source.clusterRef.name")]
[PrinterColumn("Target", "string", ".spec.target.clusterRef.name")]
[PrinterColumn("Topics", "integer", ".status.replicatedTopics")]
[PrinterColumn("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status")]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp")]
public sealed class Replicator : CustomResource<ReplicatorSpec, ReplicatorStatus>
{
    public Replicator()
        : base("Replicator")
    {
    }
}
