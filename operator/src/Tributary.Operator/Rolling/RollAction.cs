namespace Tributary.Operator.Rolling;

/// <summary>The single next step of a rolling restart.</summary>
/// <param name="Kind">None, Wait or Restart.</param>
/// <param name="Node">The node to restart (Restart only).</param>
/// <param name="Message">Human-readable explanation for status and events.</param>
/// <param name="Pending">Nodes still to restart, including <paramref name="Node"/>.</param>
/// <param name="RequiresProbe">
/// True when the safety probe must approve first. A pod that is already not Ready serves no traffic
/// and holds no ISR slot, so restarting it cannot make things worse and needs no approval.
/// </param>
public sealed record RollAction(RollActionKind Kind, RollNode? Node, string Message, int Pending, bool RequiresProbe)
{
    public static readonly RollAction None = new(RollActionKind.None, null, "all pods are up to date", 0, false);
}
