namespace Tributary.Operator.Api;

/// <summary>Status of a condition, as in metav1.Condition.</summary>
public enum ConditionStatus
{
    True,
    False,
    Unknown,
}
