namespace Tributary.Operator.Crds;

/// <summary>
/// The type is written as either an integer or a string (like Kubernetes' Quantity):
/// emitted as `x-kubernetes-int-or-string: true`.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class IntOrStringAttribute : Attribute
{
    /// <summary>Optional pattern the string form must match.</summary>
    public string? Pattern { get; init; }
}
