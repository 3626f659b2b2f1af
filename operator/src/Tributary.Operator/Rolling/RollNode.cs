namespace Tributary.Operator.Rolling;

/// <summary>What the roller observes about one Kafka node (broker or dedicated controller).</summary>
/// <param name="Id">Kafka node id.</param>
/// <param name="Pod">Pod name.</param>
/// <param name="Exists">The pod exists and is not being deleted.</param>
/// <param name="Ready">The pod's Ready condition is True.</param>
/// <param name="RestartReason">Why the pod must be restarted (<see cref="RollReasons"/>), or null when it is up to date.</param>
public sealed record RollNode(int Id, string Pod, bool Exists, bool Ready, string? RestartReason);
