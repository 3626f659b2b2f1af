using System.ComponentModel;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>A Kafka topic managed as a Kubernetes resource.</summary>
[CustomResource(KafkaApi.Group, KafkaApi.Version, "Topic", "topics", ShortNames = "kt", Categories = KafkaApi.Category)]
[Description("Topic is a Kafka topic on a KafkaCluster.")]
[PrinterColumn("Cluster", "string", ".spec.clusterRef.name")]
[PrinterColumn("Partitions", "integer", ".spec.partitions")]
[PrinterColumn("Replicas", "integer", ".spec.replicationFactor")]
[PrinterColumn("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status")]
[PrinterColumn("Topic", "string", ".status.topicName", Priority = 1)]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp")]
public sealed class Topic : CustomResource<TopicSpec, TopicStatus>
{
    public Topic()
        : base("Topic")
    {
    }
}
