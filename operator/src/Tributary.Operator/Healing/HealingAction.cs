namespace Tributary.Operator.Healing;

/// <summary>One healing step.</summary>
/// <param name="Kind">Force-delete a pod or delete a claim.</param>
/// <param name="Name">Pod or claim name.</param>
/// <param name="Reason">Why, for the Healed event.</param>
public sealed record HealingAction(HealingActionKind Kind, string Name, string Reason);
