namespace Tributary.Operator.Crds;

/// <summary>openAPIV3Schema `maxLength` of a string or array field.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class SchemaMaxLengthAttribute : Attribute
{
    public SchemaMaxLengthAttribute(int value) => Value = value;

    public int Value { get; }
}
