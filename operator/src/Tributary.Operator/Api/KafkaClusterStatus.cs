using System.ComponentModel;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>Observed state of a KafkaCluster.</summary>
[Description("Observed state of the cluster.")]
public sealed class KafkaClusterStatus
{
    [Description("Ready, Reconciling and Stalled conditions.")]
    [ListMapKeys("type")]
    public List<Condition>? Conditions { get; set; }

    [Description("metadata.generation last acted on.")]
    public long? ObservedGeneration { get; set; }

    [Description("Brokers with their id, zone, pod and volume claim.")]
    [ListMapKeys("id")]
    public List<BrokerStatus>? Brokers { get; set; }

    [Description("Bootstrap servers of the first internal listener.")]
    public string? BootstrapServers { get; set; }

    [Description("Per-listener client addresses.")]
    [ListMapKeys("name")]
    public List<ListenerStatus>? Listeners { get; set; }

    [Description("KRaft cluster id, fixed at creation.")]
    public string? ClusterId { get; set; }

    [Description("Zones in use, in the order that fixes broker ids (zone index = position). Only ever appended to.")]
    public List<string>? Zones { get; set; }
}
