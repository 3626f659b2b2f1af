namespace Tributary.Operator.Crds;

/// <summary>Inclusive maximum of an integer field (openAPIV3Schema `maximum`).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class SchemaMaximumAttribute : Attribute
{
    public SchemaMaximumAttribute(long value) => Value = value;

    public long Value { get; }
}
