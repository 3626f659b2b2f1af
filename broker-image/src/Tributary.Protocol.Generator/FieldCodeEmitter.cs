using System.Globalization;
using static Tributary.Protocol.Generator.VersionConditions;

namespace Tributary.Protocol.Generator;

/// <summary>
/// Emits the Read, Write and Size statements of single fields for one schema. Version checks are
/// emitted as plain comparisons on <c>version</c>, folded away where the range makes them constant,
/// so the generated code has no per-field lookups.
/// </summary>
public sealed class FieldCodeEmitter
{
    private readonly MessageNames _names;

    public FieldCodeEmitter(MessageNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _names = names;
        Valid = names.Spec.ValidVersions;
        Flexible = names.Spec.FlexibleVersions.Intersect(Valid);
    }

    public VersionRange Valid { get; }

    /// <summary>The message's flexible versions within its valid versions.</summary>
    public VersionRange Flexible { get; }

    /// <summary>Whether the field uses compact encodings, within the versions of <paramref name="context"/>.</summary>
    public string CompactCondition(FieldSpec field, VersionRange context)
    {
        ArgumentNullException.ThrowIfNull(field);
        return For(field.FlexibleVersions ?? _names.Spec.FlexibleVersions, context);
    }

    public static string NullableCondition(FieldSpec field, VersionRange context)
    {
        ArgumentNullException.ThrowIfNull(field);
        return For(field.NullableVersions, context);
    }

    // ---------------------------------------------------------------- read

    public void EmitRead(CodeWriter w, FieldSpec field, string reader, VersionRange context, string target)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(field);
        var compact = CompactCondition(field, context);
        var nullable = NullableCondition(field, context);
        var type = field.Type;
        switch (type.Kind)
        {
            case TypeKind.Array:
                EmitReadArray(w, field, reader, compact, nullable, target);
                break;
            case TypeKind.Struct:
                EmitReadStruct(w, field, reader, nullable, target);
                break;
            case TypeKind.Records:
                var read = Ternary(compact, $"{reader}.ReadCompactRecords()", $"{reader}.ReadRecords()");
                if (nullable == True)
                {
                    w.Line($"{target} = {read};");
                }
                else if (nullable == False)
                {
                    w.Line($"{target} = {read} ?? throw MessageErrors.NullValue(\"{field.Name}\");");
                }
                else
                {
                    w.OpenBlock();
                    w.Line($"var _records = {read};");
                    w.Line($"if (_records is null && {Not(nullable)}) throw MessageErrors.NullValue(\"{field.Name}\");");
                    w.Line($"{target} = _records;");
                    w.Close();
                }

                break;
            default:
                var (compactIfNull, compactIfNotNull) = SplitCompact(field, context);
                w.Line($"{target} = {ScalarRead(type.Kind, reader, compactIfNull, compactIfNotNull, nullable)};");
                break;
        }
    }

    /// <summary>
    /// The compact condition within the versions where the field is nullable, and within the rest,
    /// so a nullable check already made is not repeated as a flexible check.
    /// </summary>
    private (string IfNullable, string IfNotNullable) SplitCompact(FieldSpec field, VersionRange context)
    {
        var nullableRange = field.NullableVersions.Intersect(context);
        return (CompactCondition(field, nullableRange.IsEmpty ? context : nullableRange), CompactCondition(field, Minus(context, nullableRange)));
    }

    /// <summary>context minus part when the result is one range; otherwise context (no folding).</summary>
    private static VersionRange Minus(VersionRange context, VersionRange part)
    {
        if (part.IsEmpty)
        {
            return context;
        }

        if (part.Lowest <= context.Lowest && part.Highest < context.Highest)
        {
            return new VersionRange((short)(part.Highest + 1), context.Highest);
        }

        if (part.Highest >= context.Highest && part.Lowest > context.Lowest)
        {
            return new VersionRange(context.Lowest, (short)(part.Lowest - 1));
        }

        return context;
    }

    private static string ScalarRead(TypeKind kind, string reader, string compact, string nullable) =>
        ScalarRead(kind, reader, compact, compact, nullable);

    private static string ScalarRead(TypeKind kind, string reader, string compactIfNull, string compactIfNotNull, string nullable)
    {
        string Variants(string name) => Ternary(
            nullable,
            Ternary(compactIfNull, $"{reader}.ReadCompactNullable{name}()", $"{reader}.ReadNullable{name}()"),
            Ternary(compactIfNotNull, $"{reader}.ReadCompact{name}()", $"{reader}.Read{name}()"));

        return kind switch
        {
            TypeKind.Bool => $"{reader}.ReadBool()",
            TypeKind.Int8 => $"{reader}.ReadInt8()",
            TypeKind.Int16 => $"{reader}.ReadInt16()",
            TypeKind.UInt16 => $"{reader}.ReadUInt16()",
            TypeKind.Int32 => $"{reader}.ReadInt32()",
            TypeKind.UInt32 => $"{reader}.ReadUInt32()",
            TypeKind.Int64 => $"{reader}.ReadInt64()",
            TypeKind.Float64 => $"{reader}.ReadFloat64()",
            TypeKind.Uuid => $"{reader}.ReadUuid()",
            TypeKind.String => Variants("String"),
            TypeKind.Bytes => Variants("Bytes"),
            _ => throw new InvalidDataException($"{kind} is not a scalar that can be read inline"),
        };
    }

    private void EmitReadArray(CodeWriter w, FieldSpec field, string reader, string compact, string nullable, string target)
    {
        var element = field.Type.Element!;
        var elementType = CSharpTypes.Of(element, _names);
        w.OpenBlock();
        w.Line($"var _count = {Ternary(compact, $"{reader}.ReadCompactArrayLength()", $"{reader}.ReadArrayLength()")};");
        w.Open("if (_count < 0)");
        EmitNullRead(w, field, nullable, target);
        w.Close();
        w.Open("else");
        // The reader bounds _count by the bytes left, so this capacity is never attacker-sized.
        w.Line($"var _list = new List<{elementType}>(_count);");
        w.Open("for (var _i = 0; _i < _count; _i++)");
        switch (element.Kind)
        {
            case TypeKind.Struct:
                w.Line($"var _item = new {elementType}();");
                w.Line($"_item.Read(ref {reader}, version);");
                w.Line("_list.Add(_item);");
                break;
            case TypeKind.Array:
            case TypeKind.Records:
                throw new InvalidDataException($"field {field.Name}: arrays of {element} are not supported");
            default:
                w.Line($"_list.Add({ScalarRead(element.Kind, reader, compact, False)});");
                break;
        }

        w.Close();
        w.Line($"{target} = _list;");
        w.Close();
        w.Close();
    }

    private static void EmitNullRead(CodeWriter w, FieldSpec field, string nullable, string target)
    {
        if (nullable == False)
        {
            w.Line($"throw MessageErrors.NullValue(\"{field.Name}\");");
            return;
        }

        if (nullable != True)
        {
            w.Line($"if ({Not(nullable)}) throw MessageErrors.NullValue(\"{field.Name}\");");
        }

        w.Line($"{target} = null;");
    }

    private void EmitReadStruct(CodeWriter w, FieldSpec field, string reader, string nullable, string target)
    {
        var className = CSharpTypes.Of(field.Type, _names);

        void Plain()
        {
            w.Line($"var _struct = new {className}();");
            w.Line($"_struct.Read(ref {reader}, version);");
            w.Line($"{target} = _struct;");
        }

        void WithMarker()
        {
            // Nullable structs are preceded by an int8 marker: -1 for null, 1 for present.
            w.Open($"if ({reader}.ReadInt8() < 0)");
            w.Line($"{target} = null;");
            w.Close();
            w.Open("else");
            Plain();
            w.Close();
        }

        w.OpenBlock();
        Choose(w, nullable, WithMarker, Plain);
        w.Close();
    }

    // ---------------------------------------------------------------- write

    public void EmitWrite(CodeWriter w, FieldSpec field, string writer, VersionRange context, string value)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(field);
        var compact = CompactCondition(field, context);
        var nullable = NullableCondition(field, context);
        var propertyNullable = CSharpTypes.IsNullable(field);
        var required = propertyNullable ? $"{value} ?? throw MessageErrors.NullOnWrite(\"{field.Name}\")" : value;
        switch (field.Type.Kind)
        {
            case TypeKind.Array:
                EmitWriteArray(w, field, writer, compact, nullable, propertyNullable, value);
                break;
            case TypeKind.Struct:
                if (!propertyNullable)
                {
                    w.Line($"{value}.Write(ref {writer}, version);");
                    break;
                }

                w.OpenBlock();
                w.Line($"var _struct = {value};");
                Choose(
                    w,
                    nullable,
                    () =>
                    {
                        w.Open("if (_struct is null)");
                        w.Line($"{writer}.WriteInt8(-1);");
                        w.Close();
                        w.Open("else");
                        w.Line($"{writer}.WriteInt8(1);");
                        w.Line($"_struct.Write(ref {writer}, version);");
                        w.Close();
                    },
                    () => w.Line($"(_struct ?? throw MessageErrors.NullOnWrite(\"{field.Name}\")).Write(ref {writer}, version);"));
                w.Close();
                break;
            case TypeKind.Records:
                var (recordsIfNull, recordsIfNotNull) = SplitCompact(field, context);
                Choose(
                    w,
                    nullable,
                    () => EmitCompactChoice(w, recordsIfNull, $"{writer}.WriteCompactRecords({value});", $"{writer}.WriteRecords({value});"),
                    () => EmitCompactChoice(w, recordsIfNotNull, $"{writer}.WriteCompactRecords({required});", $"{writer}.WriteRecords({required});"));
                break;
            case TypeKind.String:
            case TypeKind.Bytes:
                var name = field.Type.Kind == TypeKind.String ? "String" : "Bytes";
                var (ifNull, ifNotNull) = SplitCompact(field, context);
                Choose(
                    w,
                    nullable,
                    () => EmitCompactChoice(w, ifNull, $"{writer}.WriteCompactNullable{name}({value});", $"{writer}.WriteNullable{name}({value});"),
                    () => EmitCompactChoice(w, ifNotNull, $"{writer}.WriteCompact{name}({required});", $"{writer}.Write{name}({required});"));
                break;
            default:
                w.Line(ScalarWrite(field.Type.Kind, writer, compact, value) + ";");
                break;
        }
    }

    private static void EmitCompactChoice(CodeWriter w, string compact, string whenCompact, string whenClassic) =>
        Choose(w, compact, () => w.Line(whenCompact), () => w.Line(whenClassic));

    /// <summary>Writes a non-null scalar; only used where the value cannot be null.</summary>
    private static string ScalarWrite(TypeKind kind, string writer, string compact, string value) => kind switch
    {
        TypeKind.Bool => $"{writer}.WriteBool({value})",
        TypeKind.Int8 => $"{writer}.WriteInt8({value})",
        TypeKind.Int16 => $"{writer}.WriteInt16({value})",
        TypeKind.UInt16 => $"{writer}.WriteUInt16({value})",
        TypeKind.Int32 => $"{writer}.WriteInt32({value})",
        TypeKind.UInt32 => $"{writer}.WriteUInt32({value})",
        TypeKind.Int64 => $"{writer}.WriteInt64({value})",
        TypeKind.Float64 => $"{writer}.WriteFloat64({value})",
        TypeKind.Uuid => $"{writer}.WriteUuid({value})",
        TypeKind.String => compact == True ? $"{writer}.WriteCompactString({value})"
            : compact == False ? $"{writer}.WriteString({value})"
            : $"if ({compact}) {writer}.WriteCompactString({value}); else {writer}.WriteString({value})",
        TypeKind.Bytes => compact == True ? $"{writer}.WriteCompactBytes({value})"
            : compact == False ? $"{writer}.WriteBytes({value})"
            : $"if ({compact}) {writer}.WriteCompactBytes({value}); else {writer}.WriteBytes({value})",
        _ => throw new InvalidDataException($"{kind} is not a scalar that can be written inline"),
    };

    private void EmitWriteArray(CodeWriter w, FieldSpec field, string writer, string compact, string nullable, bool propertyNullable, string value)
    {
        var element = field.Type.Element!;
        w.OpenBlock();
        w.Line($"var _list = {value};");
        if (propertyNullable)
        {
            w.Open("if (_list is null)");
            if (nullable == False)
            {
                w.Line($"throw MessageErrors.NullOnWrite(\"{field.Name}\");");
            }
            else
            {
                if (nullable != True)
                {
                    w.Line($"if ({Not(nullable)}) throw MessageErrors.NullOnWrite(\"{field.Name}\");");
                }

                EmitCompactChoice(w, compact, $"{writer}.WriteCompactArrayLength(-1);", $"{writer}.WriteArrayLength(-1);");
            }

            w.Close();
            w.Open("else");
        }

        EmitCompactChoice(w, compact, $"{writer}.WriteCompactArrayLength(_list.Count);", $"{writer}.WriteArrayLength(_list.Count);");
        w.Open("for (var _i = 0; _i < _list.Count; _i++)");
        if (element.Kind == TypeKind.Struct)
        {
            w.Line($"_list[_i].Write(ref {writer}, version);");
        }
        else
        {
            w.Line(ScalarWrite(element.Kind, writer, compact, "_list[_i]") + ";");
        }

        w.Close();
        if (propertyNullable)
        {
            w.Close();
        }

        w.Close();
    }

    // ---------------------------------------------------------------- size

    public void EmitSize(CodeWriter w, FieldSpec field, VersionRange context, string value, string size)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(field);
        var compact = CompactCondition(field, context);
        var nullable = NullableCondition(field, context);
        var propertyNullable = CSharpTypes.IsNullable(field);
        var type = field.Type;
        switch (type.Kind)
        {
            case TypeKind.Array:
                EmitSizeArray(w, field, compact, propertyNullable, value, size);
                break;
            case TypeKind.Struct:
                if (!propertyNullable)
                {
                    w.Line($"{size} += {value}.Size(version);");
                    break;
                }

                Choose(w, nullable, () => w.Line($"{size} += 1;"), null);
                w.Line($"{size} += {value}?.Size(version) ?? 0;");
                break;
            case TypeKind.Records:
                w.Line($"{size} += {Ternary(compact, $"WireSize.CompactBytes({value}?.Length)", $"WireSize.Bytes({value}?.Length)")};");
                break;
            case TypeKind.Bytes:
                var length = propertyNullable ? $"{value}?.Length" : $"{value}.Length";
                w.Line($"{size} += {Ternary(compact, $"WireSize.CompactBytes({length})", $"WireSize.Bytes({length})")};");
                break;
            default:
                w.Line($"{size} += {ScalarSize(type.Kind, compact, value)};");
                break;
        }
    }

    private static string ScalarSize(TypeKind kind, string compact, string value) => kind switch
    {
        TypeKind.String => Ternary(compact, $"WireSize.CompactString({value})", $"WireSize.String({value})"),
        TypeKind.Bytes => Ternary(compact, $"WireSize.CompactBytes({value}.Length)", $"WireSize.Bytes({value}.Length)"),
        _ => new FieldType(kind, null, null).FixedSize?.ToString(CultureInfo.InvariantCulture)
            ?? throw new InvalidDataException($"{kind} has no inline size"),
    };

    private static void EmitSizeArray(CodeWriter w, FieldSpec field, string compact, bool propertyNullable, string value, string size)
    {
        var element = field.Type.Element!;
        w.OpenBlock();
        w.Line($"var _list = {value};");
        if (propertyNullable)
        {
            w.Open("if (_list is null)");
            w.Line($"{size} += {Ternary(compact, "1", "4")};");
            w.Close();
            w.Open("else");
        }

        w.Line($"{size} += {Ternary(compact, "WireSize.CompactArrayLength(_list.Count)", "4")};");
        if (element.FixedSize is { } fixedSize)
        {
            w.Line($"{size} += _list.Count * {fixedSize.ToString(CultureInfo.InvariantCulture)};");
        }
        else
        {
            w.Open("for (var _i = 0; _i < _list.Count; _i++)");
            w.Line(element.Kind == TypeKind.Struct
                ? $"{size} += _list[_i].Size(version);"
                : $"{size} += {ScalarSize(element.Kind, compact, "_list[_i]")};");
            w.Close();
        }

        if (propertyNullable)
        {
            w.Close();
        }

        w.Close();
    }

    // ---------------------------------------------------------------- defaults

    /// <summary>
    /// A condition that is true when the value differs from the field's default; tagged fields are
    /// written only then, as Kafka does.
    /// </summary>
    public static string NonDefault(FieldSpec field, string value)
    {
        ArgumentNullException.ThrowIfNull(field);
        var type = field.Type;
        var defaultValue = CSharpTypes.Default(field);
        var propertyNullable = CSharpTypes.IsNullable(field);
        if (defaultValue == "null")
        {
            return $"{value} is not null";
        }

        return type.Kind switch
        {
            TypeKind.Bool => defaultValue == "true" ? $"!{value}" : value,
            TypeKind.Float64 => $"!{value}.Equals({defaultValue})",
            TypeKind.String => $"!string.Equals({value}, {defaultValue}, StringComparison.Ordinal)",
            TypeKind.Bytes => propertyNullable ? $"({value} is null || {value}.Length != 0)" : $"{value}.Length != 0",
            TypeKind.Array => propertyNullable ? $"({value} is null || {value}.Count != 0)" : $"{value}.Count != 0",
            TypeKind.Struct => propertyNullable ? $"({value} is null || !{value}.IsAllDefault())" : $"!{value}.IsAllDefault()",
            TypeKind.Records => $"{value} is not null",
            _ => $"{value} != {defaultValue}",
        };
    }

    /// <summary>Emits either branch, or an if/else when the condition is only known at run time.</summary>
    public static void Choose(CodeWriter w, string condition, Action whenTrue, Action? whenFalse)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(whenTrue);
        if (condition == True)
        {
            whenTrue();
            return;
        }

        if (condition == False)
        {
            whenFalse?.Invoke();
            return;
        }

        w.Open($"if ({condition})");
        whenTrue();
        w.Close();
        if (whenFalse is not null)
        {
            w.Open("else");
            whenFalse();
            w.Close();
        }
    }
}
