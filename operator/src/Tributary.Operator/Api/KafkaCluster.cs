using System.ComponentModel;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>A Kafka cluster: brokers spread over zones, each with its own volume (MSK provisioned cluster).</summary>
[CustomResource(KafkaApi.Group, KafkaApi.Version, "KafkaCluster", "kafkaclusters", ShortNames = "kc", Categories = KafkaApi.Category)]
[Description("KafkaCluster runs a Kafka-compatible cluster: brokers spread evenly over zones, one volume per broker, self-healing.")]
[PrinterColumn("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status")]
[PrinterColumn("Brokers", "integer", ".spec.brokers")]
[PrinterColumn("Bootstrap", "string", ".status.bootstrapServers")]
[PrinterColumn("Reason", "string", ".status.conditions[?(@.type==\"Ready\")].reason", Priority = 1)]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp")]
public sealed class KafkaCluster : CustomResource<KafkaClusterSpec, KafkaClusterStatus>
{
    public KafkaCluster()
        : base("KafkaCluster")
    {
    }
}
