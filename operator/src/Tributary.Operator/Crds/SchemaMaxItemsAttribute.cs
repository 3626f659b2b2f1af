namespace Tributary.Operator.Crds;

/// <summary>openAPIV3Schema `maxItems` of a string or array field.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class SchemaMaxItemsAttribute : Attribute
{
    public SchemaMaxItemsAttribute(int value) => Value = value;

    public int Value { get; }
}
