namespace Tributary.Operator.Crds;

/// <summary>
/// The API server's default for a field (openAPIV3Schema `default`). Scalars only: string, bool,
/// integer or an enum member (written as its wire name). Use <see cref="SchemaDefaultJsonAttribute"/>
/// for objects and arrays. The C# initializer must produce the same value (a test checks it).
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class SchemaDefaultAttribute : Attribute
{
    public SchemaDefaultAttribute(object value) => Value = value;

    public object Value { get; }
}
