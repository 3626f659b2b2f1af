namespace Tributary.Operator.Rolling;

/// <summary>What the roller should do next.</summary>
public enum RollActionKind
{
    /// <summary>Every pod runs its current template: nothing to roll.</summary>
    None,

    /// <summary>A roll is pending but must wait (a pod is restarting or not Ready).</summary>
    Wait,

    /// <summary>Restart (delete) one pod.</summary>
    Restart,
}
