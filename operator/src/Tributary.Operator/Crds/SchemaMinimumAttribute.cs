namespace Tributary.Operator.Crds;

/// <summary>Inclusive minimum of an integer field (openAPIV3Schema `minimum`).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class SchemaMinimumAttribute : Attribute
{
    public SchemaMinimumAttribute(long value) => Value = value;

    public long Value { get; }
}
