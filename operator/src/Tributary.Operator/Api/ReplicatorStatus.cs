using System.ComponentModel;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>Observed state of a replicator.</summary>
[Description("Observed state of the replicator.")]
public sealed class ReplicatorStatus
{
    [Description("Ready, Reconciling and Stalled conditions.")]
    [ListMapKeys("type")]
    public List<Condition>? Conditions { get; set; }

    [Description("metadata.generation last acted on.")]
    public long? ObservedGeneration { get; set; }

    [Description("Number of topics being replicated.")]
    public int? ReplicatedTopics { get; set; }

    [Description("Largest consumer lag of the replication, in records.")]
    public long? MaxLag { get; set; }

    [Description("Last successful consumer group offset sync (RFC 3339).")]
    [SchemaFormat("date-time")]
    public string? LastOffsetSyncTime { get; set; }
}
