namespace Tributary.Operator.Crds;

/// <summary>openAPIV3Schema `minItems` of a string or array field.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class SchemaMinItemsAttribute : Attribute
{
    public SchemaMinItemsAttribute(int value) => Value = value;

    public int Value { get; }
}
