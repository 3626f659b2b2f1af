namespace Tributary.Operator.Crds;

/// <summary>openAPIV3Schema `format` of a string field, e.g. date-time.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class SchemaFormatAttribute : Attribute
{
    public SchemaFormatAttribute(string format) => Format = format;

    public string Format { get; }
}
