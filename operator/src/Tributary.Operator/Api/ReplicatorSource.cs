using System.ComponentModel;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>Where replicated data comes from: a KafkaCluster here, or any Kafka cluster by address.</summary>
[Description("Source cluster: exactly one of clusterRef or bootstrapServers.")]
[CelRule("has(self.clusterRef) != has(self.bootstrapServers)", "set exactly one of source.clusterRef or source.bootstrapServers")]
public sealed class ReplicatorSource
{
    [Description("A KafkaCluster in the same namespace.")]
    public ClusterReference? ClusterRef { get; set; }

    [Description("Comma-separated host:port list of any Kafka-compatible cluster.")]
    [SchemaPattern(@"^[^,\s]+:[0-9]+(,[^,\s]+:[0-9]+)*$")]
    [SchemaMaxLength(4096)]
    public string? BootstrapServers { get; set; }
}
