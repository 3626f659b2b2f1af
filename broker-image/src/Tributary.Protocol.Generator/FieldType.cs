namespace Tributary.Protocol.Generator;

/// <summary>A parsed schema type: a primitive, a struct (by Kafka name) or an array of either.</summary>
public sealed record FieldType(TypeKind Kind, FieldType? Element, string? StructName)
{
    public bool IsArray => Kind == TypeKind.Array;

    public bool IsStruct => Kind == TypeKind.Struct;

    /// <summary>Struct name of the type or of its elements, if any.</summary>
    public string? ReferencedStruct => Kind switch
    {
        TypeKind.Struct => StructName,
        TypeKind.Array => Element!.ReferencedStruct,
        _ => null,
    };

    /// <summary>Encoded size of fixed-width primitives, or null for variable-length types.</summary>
    public int? FixedSize => Kind switch
    {
        TypeKind.Bool or TypeKind.Int8 => 1,
        TypeKind.Int16 or TypeKind.UInt16 => 2,
        TypeKind.Int32 or TypeKind.UInt32 => 4,
        TypeKind.Int64 or TypeKind.Float64 => 8,
        TypeKind.Uuid => 16,
        _ => null,
    };

    public static FieldType Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith("[]", StringComparison.Ordinal))
        {
            return new FieldType(TypeKind.Array, Parse(text[2..]), null);
        }

        return text switch
        {
            "bool" => new FieldType(TypeKind.Bool, null, null),
            "int8" => new FieldType(TypeKind.Int8, null, null),
            "int16" => new FieldType(TypeKind.Int16, null, null),
            "uint16" => new FieldType(TypeKind.UInt16, null, null),
            "int32" => new FieldType(TypeKind.Int32, null, null),
            "uint32" => new FieldType(TypeKind.UInt32, null, null),
            "int64" => new FieldType(TypeKind.Int64, null, null),
            "float64" => new FieldType(TypeKind.Float64, null, null),
            "string" => new FieldType(TypeKind.String, null, null),
            "bytes" => new FieldType(TypeKind.Bytes, null, null),
            "uuid" => new FieldType(TypeKind.Uuid, null, null),
            "records" => new FieldType(TypeKind.Records, null, null),
            _ when text.Length > 0 && char.IsUpper(text[0]) => new FieldType(TypeKind.Struct, null, text),
            _ => throw new InvalidDataException($"unknown field type '{text}'"),
        };
    }

    public override string ToString() => Kind switch
    {
        TypeKind.Array => "[]" + Element,
        TypeKind.Struct => StructName!,
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
