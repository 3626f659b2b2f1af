namespace Tributary.Operator.Healing;

/// <summary>Input of <see cref="HealingPlanner.Plan"/>.</summary>
/// <param name="Now">Current time.</param>
/// <param name="Enabled">spec.brokerReplacement.enabled.</param>
/// <param name="NodeNotReadyTimeout">spec.brokerReplacement.nodeNotReadyTimeout.</param>
/// <param name="Pods">The cluster's Kafka pods.</param>
/// <param name="Nodes">Known nodes by name.</param>
/// <param name="Volumes">The cluster's data claims by name.</param>
/// <param name="NodeMissingSince">
/// When the controller first saw that a node a pod is bound to no longer exists (Node objects carry no
/// tombstone, so the controller remembers it).
/// </param>
public sealed record HealingObservation(
    DateTimeOffset Now,
    bool Enabled,
    TimeSpan NodeNotReadyTimeout,
    IReadOnlyList<HealingPod> Pods,
    IReadOnlyDictionary<string, HealingNode> Nodes,
    IReadOnlyDictionary<string, HealingVolume> Volumes,
    IReadOnlyDictionary<string, DateTimeOffset> NodeMissingSince);
