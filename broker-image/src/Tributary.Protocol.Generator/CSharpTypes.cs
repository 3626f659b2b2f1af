using System.Globalization;
using System.Text;

namespace Tributary.Protocol.Generator;

/// <summary>Maps schema types and defaults to C# types and literals.</summary>
public static class CSharpTypes
{
    public static string Scalar(TypeKind kind) => kind switch
    {
        TypeKind.Bool => "bool",
        TypeKind.Int8 => "sbyte",
        TypeKind.Int16 => "short",
        TypeKind.UInt16 => "ushort",
        TypeKind.Int32 => "int",
        TypeKind.UInt32 => "uint",
        TypeKind.Int64 => "long",
        TypeKind.Float64 => "double",
        TypeKind.String => "string",
        TypeKind.Bytes => "byte[]",
        TypeKind.Uuid => "Guid",
        TypeKind.Records => "ReadOnlyMemory<byte>",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a scalar"),
    };

    /// <summary>The C# type of a value (array element or field) without nullability.</summary>
    public static string Of(FieldType type, MessageNames names)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(names);
        return type.Kind switch
        {
            TypeKind.Array => $"List<{Of(type.Element!, names)}>",
            TypeKind.Struct => names.ClassName(type.StructName!),
            _ => Scalar(type.Kind),
        };
    }

    /// <summary>Whether the property's C# type admits null (records always do: Kafka's default is null).</summary>
    public static bool IsNullable(FieldSpec field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (field.Type.Kind == TypeKind.Records)
        {
            return true;
        }

        if (field.Type.FixedSize is not null)
        {
            return false;
        }

        return field.IsNullableType;
    }

    public static string Property(FieldSpec field, MessageNames names) =>
        Of(field.Type, names) + (IsNullable(field) ? "?" : "");

    /// <summary>The value a field has when a version does not carry it (Kafka's rules, or the schema default).</summary>
    public static string Default(FieldSpec field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var text = field.Default;
        var type = field.Type;
        if (text == "null")
        {
            if (type.FixedSize is not null)
            {
                throw new InvalidDataException($"field {field.Name} of type {type} cannot default to null");
            }

            return "null";
        }

        switch (type.Kind)
        {
            case TypeKind.Bool:
                return text is null ? "false" : ParseBool(text, field);
            case TypeKind.Int8:
            case TypeKind.Int16:
            case TypeKind.UInt16:
            case TypeKind.Int32:
            case TypeKind.UInt32:
            case TypeKind.Int64:
                return text is null ? "0" : IntegerLiteral(text, type.Kind, field);
            case TypeKind.Float64:
                return text is null
                    ? "0d"
                    : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture) + "d";
            case TypeKind.String:
                return StringLiteral(text ?? "");
            case TypeKind.Uuid:
                return text is null || text.Length == 0
                    ? "Guid.Empty"
                    : $"new Guid(\"{Guid.Parse(text).ToString("D", CultureInfo.InvariantCulture)}\")";
            case TypeKind.Bytes:
                EnsureNoDefault(text, field);
                return "Array.Empty<byte>()";
            case TypeKind.Records:
                EnsureNoDefault(text, field);
                return "null";
            case TypeKind.Array:
            case TypeKind.Struct:
                EnsureNoDefault(text, field);
                return "new()";
            default:
                throw new InvalidDataException($"field {field.Name}: unsupported type {type}");
        }
    }

    /// <summary>Parses an integer default: decimal, 0x hex or 0-prefixed octal, optionally negative.</summary>
    public static long IntegerValue(string text, string context)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var negative = trimmed.StartsWith('-');
        var digits = negative ? trimmed[1..] : trimmed;
        ulong magnitude;
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            magnitude = ulong.Parse(digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        }
        else if (digits.Length > 1 && digits[0] == '0')
        {
            // The schema language allows octal with a leading 0, like Java.
            magnitude = Convert.ToUInt64(digits, 8);
        }
        else if (!ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out magnitude))
        {
            throw new InvalidDataException($"{context}: '{text}' is not an integer");
        }

        return negative ? -(long)magnitude : (long)magnitude;
    }

    private static string IntegerLiteral(string text, TypeKind kind, FieldSpec field)
    {
        var value = IntegerValue(text, field.Name);
        (long min, long max) = kind switch
        {
            TypeKind.Int8 => (sbyte.MinValue, sbyte.MaxValue),
            TypeKind.Int16 => (short.MinValue, short.MaxValue),
            TypeKind.UInt16 => (ushort.MinValue, ushort.MaxValue),
            TypeKind.Int32 => (int.MinValue, int.MaxValue),
            TypeKind.UInt32 => (uint.MinValue, uint.MaxValue),
            _ => (long.MinValue, long.MaxValue),
        };
        if (value < min || value > max)
        {
            throw new InvalidDataException($"field {field.Name}: default {text} does not fit {kind}");
        }

        var literal = value.ToString(CultureInfo.InvariantCulture);
        return kind == TypeKind.Int64 ? literal + "L" : literal;
    }

    private static string ParseBool(string text, FieldSpec field) => text.Trim().ToLowerInvariant() switch
    {
        "true" => "true",
        "false" => "false",
        _ => throw new InvalidDataException($"field {field.Name}: '{text}' is not a boolean"),
    };

    private static void EnsureNoDefault(string? text, FieldSpec field)
    {
        if (!string.IsNullOrEmpty(text))
        {
            throw new InvalidDataException($"field {field.Name}: a custom default for {field.Type} is not allowed");
        }
    }

    public static string StringLiteral(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case < ' ' or > '~':
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.Append('"').ToString();
    }
}
