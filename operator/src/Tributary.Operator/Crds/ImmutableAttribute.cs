namespace Tributary.Operator.Crds;

/// <summary>
/// The field cannot change once set: emitted as the CEL transition rule `self == oldSelf`, so the
/// API server refuses the update before the operator ever sees it.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class ImmutableAttribute : Attribute
{
    public ImmutableAttribute(string message) => Message = message;

    public string Message { get; }
}
