namespace Tributary.Operator.Crds;

/// <summary>openAPIV3Schema `minLength` of a string or array field.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class SchemaMinLengthAttribute : Attribute
{
    public SchemaMinLengthAttribute(int value) => Value = value;

    public int Value { get; }
}
