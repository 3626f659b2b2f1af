using Tributary.Operator.Api;

namespace Tributary.Operator.Rolling;

/// <summary>
/// Asks the running Kafka cluster whether restarting one node now is safe. The roller calls it before
/// every restart; the real implementation (over Tributary.Client's admin API) refuses while any partition
/// would drop below min.insync.replicas without the node (DescribeTopics ISR sizes) or the KRaft quorum
/// would lose its majority (DescribeQuorum). Because a just-restarted broker is out of the ISR until it has
/// caught up, the same check also makes the roller wait for catch-up before the next restart.
/// </summary>
public interface IClusterSafetyProbe
{
    /// <summary>Node id of the active KRaft controller, or null when unknown (it is then not ordered last).</summary>
    Task<int?> GetActiveControllerAsync(KafkaCluster cluster, CancellationToken cancellationToken);

    /// <summary>Whether node <paramref name="nodeId"/> may be restarted now, with the reason when not.</summary>
    Task<RollDecision> CanRestartAsync(KafkaCluster cluster, int nodeId, CancellationToken cancellationToken);
}
