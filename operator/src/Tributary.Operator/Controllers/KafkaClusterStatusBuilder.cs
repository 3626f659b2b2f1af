using Tributary.Operator.Api;
using Tributary.Operator.Rendering;

namespace Tributary.Operator.Controllers;

/// <summary>
/// Computes KafkaCluster status (kstatus conditions plus the broker map) from what the reconciler saw. Pure.
/// Ready and Reconciling are each other's opposite while the spec is valid; Stalled is True only for an
/// invalid spec, which the operator cannot fix by retrying.
/// </summary>
public static class KafkaClusterStatusBuilder
{
    public static KafkaClusterStatus Build(
        KafkaCluster cluster,
        ClusterLayout layout,
        string clusterId,
        string? bootstrapServers,
        IReadOnlyList<ListenerStatus> listeners,
        Func<string, bool> podReady,
        ClusterProgress progress,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(podReady);
        ArgumentNullException.ThrowIfNull(progress);
        var generation = cluster.Metadata.Generation ?? 0;
        var conditions = new ConditionSet(cluster.Status?.Conditions, generation, now);
        if (progress.Ready)
        {
            conditions.Set(ConditionTypes.Ready, ConditionStatus.True, progress.Reason, progress.Message)
                .Set(ConditionTypes.Reconciling, ConditionStatus.False, ConditionReasons.ReconcileSucceeded, progress.Message);
        }
        else
        {
            conditions.Set(ConditionTypes.Ready, ConditionStatus.False, progress.Reason, progress.Message)
                .Set(ConditionTypes.Reconciling, ConditionStatus.True, progress.Reason, progress.Message);
        }

        conditions.Set(ConditionTypes.Stalled, ConditionStatus.False, ConditionReasons.ReconcileSucceeded, "the spec is valid");
        return new KafkaClusterStatus
        {
            Conditions = conditions.ToList(),
            ObservedGeneration = generation,
            Brokers = layout.Brokers
                .Select(b => new BrokerStatus { Id = b.Id, Zone = b.Zone ?? ZonePlanner.UnzonedName, Pod = b.Pod, Pvc = b.Pvc, Ready = podReady(b.Pod) })
                .ToList(),
            BootstrapServers = bootstrapServers,
            Listeners = listeners.Count == 0 ? null : [.. listeners],
            ClusterId = clusterId,
            Zones = [.. layout.Zones],
        };
    }

    /// <summary>
    /// Status for a spec the operator refuses: Stalled=True with every validation message, Ready=False.
    /// Everything else (brokers, zones, cluster id) stays as last recorded, like the objects themselves.
    /// </summary>
    public static KafkaClusterStatus Stalled(KafkaClusterStatus? previous, long generation, IReadOnlyList<string> errors, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var message = "invalid spec: " + string.Join("; ", errors);
        var conditions = new ConditionSet(previous?.Conditions, generation, now)
            .Set(ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.InvalidSpec, message)
            .Set(ConditionTypes.Reconciling, ConditionStatus.False, ConditionReasons.InvalidSpec, "waiting for a valid spec")
            .Set(ConditionTypes.Stalled, ConditionStatus.True, ConditionReasons.InvalidSpec, message);
        return new KafkaClusterStatus
        {
            Conditions = conditions.ToList(),
            ObservedGeneration = generation,
            Brokers = previous?.Brokers,
            BootstrapServers = previous?.BootstrapServers,
            Listeners = previous?.Listeners,
            ClusterId = previous?.ClusterId,
            Zones = previous?.Zones,
        };
    }
}
