namespace Tributary.Operator.Crds;

/// <summary>A structured default (object or array), given as JSON text.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class SchemaDefaultJsonAttribute : Attribute
{
    public SchemaDefaultJsonAttribute(string json) => Json = json;

    public string Json { get; }
}
