namespace Tributary.Operator.Healing;

/// <summary>Kinds of healing steps.</summary>
public enum HealingActionKind
{
    /// <summary>Delete the pod with gracePeriodSeconds=0 so its StatefulSet recreates it at once.</summary>
    ForceDeletePod,

    /// <summary>Delete the claim so the StatefulSet recreates it empty (the broker re-replicates).</summary>
    DeleteClaim,
}
