namespace Tributary.Operator.Rolling;

/// <summary>Answer of <see cref="IClusterSafetyProbe.CanRestartAsync"/>.</summary>
/// <param name="Allowed">True when the node may be restarted now.</param>
/// <param name="Reason">Why not (or a short note when allowed), shown in status and events.</param>
public sealed record RollDecision(bool Allowed, string Reason)
{
    public static RollDecision Allow(string reason = "safe to restart") => new(true, reason);

    public static RollDecision Refuse(string reason) => new(false, reason);
}
