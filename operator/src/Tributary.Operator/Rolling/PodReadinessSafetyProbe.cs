using Tributary.Kube;
using Tributary.Operator.Api;
using Tributary.Operator.Controllers;
using Tributary.Operator.Rendering;

namespace Tributary.Operator.Rolling;

/// <summary>
/// The readiness gate: approves a restart only when a fresh read from the API server (not the informer
/// cache) shows every Kafka pod of the cluster Ready, and reports no active controller. It cannot see ISR
/// sizes; in production <see cref="KafkaSafetyProbe"/> asks it first and then checks Kafka itself.
/// </summary>
public sealed class PodReadinessSafetyProbe(IKubeClient client) : IClusterSafetyProbe
{
    public Task<int?> GetActiveControllerAsync(KafkaCluster cluster, CancellationToken cancellationToken) =>
        Task.FromResult<int?>(null);

    public async Task<RollDecision> CanRestartAsync(KafkaCluster cluster, int nodeId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var selector = $"{ClusterLabels.Name}=kafka,{ClusterLabels.Instance}={cluster.Metadata.Name}";
        var pods = await client.ListAsync(ResourceDescriptor.Pods, cluster.Metadata.Namespace, new ListOptions { LabelSelector = selector }, cancellationToken)
            .ConfigureAwait(false);
        var notReady = pods.Items.Where(p => p.IsDeleting() || !PodFacts.IsReady(p)).Select(p => p.Name()).ToList();
        return notReady.Count == 0
            ? RollDecision.Allow("every pod is Ready")
            : RollDecision.Refuse($"pods not Ready: {string.Join(", ", notReady)}");
    }
}
