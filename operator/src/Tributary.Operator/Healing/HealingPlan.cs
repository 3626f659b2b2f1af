namespace Tributary.Operator.Healing;

/// <summary>Output of <see cref="HealingPlanner.Plan"/>.</summary>
/// <param name="Actions">Steps to take now, claims before pods.</param>
/// <param name="RecheckAfter">When a timeout still running will expire, so the controller requeues then.</param>
public sealed record HealingPlan(IReadOnlyList<HealingAction> Actions, TimeSpan? RecheckAfter);
