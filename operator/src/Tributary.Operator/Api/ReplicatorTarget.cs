using System.ComponentModel;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>The KafkaCluster that receives replicated data.</summary>
[Description("Target KafkaCluster.")]
public sealed class ReplicatorTarget
{
    [Description("A KafkaCluster in the same namespace. Cannot be changed.")]
    [Immutable("target.clusterRef cannot be changed; create a new Replicator instead")]
    public required ClusterReference ClusterRef { get; set; }
}
