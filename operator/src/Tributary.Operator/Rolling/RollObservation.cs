namespace Tributary.Operator.Rolling;

/// <summary>Input of <see cref="RollPlanner.Plan"/>: every node of the cluster, as observed now.</summary>
/// <param name="Nodes">All nodes the layout expects (missing pods included with Exists = false).</param>
/// <param name="ActiveControllerId">Active KRaft controller per the safety probe; restarted last.</param>
/// <param name="RevisionsSettled">
/// False while a StatefulSet has not yet observed its latest template (status.observedGeneration behind),
/// so its update revision cannot be trusted yet.
/// </param>
public sealed record RollObservation(IReadOnlyList<RollNode> Nodes, int? ActiveControllerId, bool RevisionsSettled);
