using System.ComponentModel;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>Points at a KafkaCluster in the same namespace.</summary>
[Description("Reference to a KafkaCluster in the same namespace.")]
public sealed class ClusterReference
{
    [Description("Name of the KafkaCluster.")]
    [SchemaMinLength(1)]
    [SchemaMaxLength(253)]
    public required string Name { get; set; }
}
