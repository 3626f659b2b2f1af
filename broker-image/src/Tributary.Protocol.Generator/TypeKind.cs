namespace Tributary.Protocol.Generator;

/// <summary>The wire types a schema field can have.</summary>
public enum TypeKind
{
    Bool,
    Int8,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    Float64,
    String,
    Bytes,
    Uuid,
    Records,
    Struct,
    Array,
}
