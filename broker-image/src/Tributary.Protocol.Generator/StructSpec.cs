namespace Tributary.Protocol.Generator;

/// <summary>A struct declared in a schema: inline with an array or struct field, or in commonStructs.</summary>
public sealed class StructSpec
{
    public required string Name { get; init; }

    public required IReadOnlyList<FieldSpec> Fields { get; init; }
}
