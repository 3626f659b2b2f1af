namespace Tributary.Operator.Healing;

/// <summary>A Kubernetes node's health.</summary>
/// <param name="Name">Node name.</param>
/// <param name="Ready">Ready condition is True.</param>
/// <param name="NotReadySince">lastTransitionTime of a Ready condition that is False or Unknown (unreachable).</param>
public sealed record HealingNode(string Name, bool Ready, DateTimeOffset? NotReadySince);
