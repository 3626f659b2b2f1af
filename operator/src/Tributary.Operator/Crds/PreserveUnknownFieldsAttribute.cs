namespace Tributary.Operator.Crds;

/// <summary>
/// The field holds a free-form Kubernetes structure (e.g. an Affinity) that Tributary passes through
/// unchanged: emitted as `type: object` with `x-kubernetes-preserve-unknown-fields: true`.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class PreserveUnknownFieldsAttribute : Attribute
{
}
