using System.ComponentModel;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Tributary.Operator.Crds;

/// <summary>
/// Builds an OpenAPI v3 structural schema (the subset Kubernetes accepts) from C# types by reflection.
/// Only what is declared is emitted: no nulls, no empty lists, so the generated CRD equals what the
/// API server stores and Argo CD never shows it OutOfSync.
/// </summary>
public static class SchemaGenerator
{
    /// <summary>Schema of an object type: its properties in declaration order.</summary>
    public static JsonObject ForObject(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var schema = new JsonObject();
        AddIfPresent(schema, "description", type.GetCustomAttribute<DescriptionAttribute>()?.Description);
        schema["type"] = "object";
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var property in SchemaProperties(type))
        {
            var name = JsonName(property);
            properties[name] = ForProperty(property);
            if (property.IsDefined(typeof(RequiredMemberAttribute), inherit: false))
            {
                required.Add(name);
            }
        }

        if (properties.Count > 0)
        {
            schema["properties"] = properties;
        }

        if (required.Count > 0)
        {
            schema["required"] = required;
        }

        AddValidations(schema, type.GetCustomAttributes<CelRuleAttribute>().Select(r => (r.Rule, r.Message)));
        return schema;
    }

    /// <summary>The properties that make up the wire form of <paramref name="type"/>, in declaration order.</summary>
    public static IEnumerable<PropertyInfo> SchemaProperties(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        // Metadata tokens follow declaration order, which GetProperties does not promise.
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(p => p.GetMethod is not null && !p.IsDefined(typeof(JsonIgnoreAttribute)))
            .OrderBy(p => p.MetadataToken);
    }

    /// <summary>The JSON name of a property: [JsonPropertyName] or camelCase, like <see cref="Api.ApiJson"/>.</summary>
    public static string JsonName(PropertyInfo property)
    {
        ArgumentNullException.ThrowIfNull(property);
        return property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
            ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
    }

    /// <summary>The wire names of an enum's members ([JsonStringEnumMemberName] or the member name).</summary>
    public static IReadOnlyList<string> EnumNames(Type enumType)
    {
        ArgumentNullException.ThrowIfNull(enumType);
        return enumType.GetFields(BindingFlags.Public | BindingFlags.Static)
            .OrderBy(f => f.MetadataToken)
            .Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name)
            .ToList();
    }

    private static JsonObject ForProperty(PropertyInfo property)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var schema = property.IsDefined(typeof(PreserveUnknownFieldsAttribute))
            ? new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true }
            : ForType(type);

        // The property's description wins over the type's; it goes first for readability.
        var description = property.GetCustomAttribute<DescriptionAttribute>()?.Description;
        if (description is not null)
        {
            schema.Remove("description");
            schema = Prepend(schema, "description", description);
        }

        var itemsOfStrings = schema["type"]?.GetValue<string>() == "array"
            && schema["items"] is JsonObject items && items["type"]?.GetValue<string>() == "string";
        // String constraints on a list of strings apply to each item.
        var stringTarget = itemsOfStrings ? (JsonObject)schema["items"]! : schema;

        if (property.GetCustomAttribute<SchemaFormatAttribute>() is { } format)
        {
            stringTarget["format"] = format.Format;
        }

        if (property.GetCustomAttribute<SchemaDefaultAttribute>() is { } scalarDefault)
        {
            schema["default"] = JsonValue.Create(scalarDefault.Value switch
            {
                Enum e => (object)e.ToString(),
                var v => v,
            });
        }

        if (property.GetCustomAttribute<SchemaDefaultJsonAttribute>() is { } jsonDefault)
        {
            schema["default"] = JsonNode.Parse(jsonDefault.Json);
        }

        if (property.GetCustomAttribute<SchemaMinimumAttribute>() is { } minimum)
        {
            schema["minimum"] = minimum.Value;
        }

        if (property.GetCustomAttribute<SchemaMaximumAttribute>() is { } maximum)
        {
            schema["maximum"] = maximum.Value;
        }

        if (property.GetCustomAttribute<SchemaMinLengthAttribute>() is { } minLength)
        {
            stringTarget["minLength"] = minLength.Value;
        }

        if (property.GetCustomAttribute<SchemaMaxLengthAttribute>() is { } maxLength)
        {
            stringTarget["maxLength"] = maxLength.Value;
        }

        if (property.GetCustomAttribute<SchemaPatternAttribute>() is { } pattern)
        {
            stringTarget["pattern"] = pattern.Pattern;
        }

        if (property.GetCustomAttribute<SchemaMinItemsAttribute>() is { } minItems)
        {
            schema["minItems"] = minItems.Value;
        }

        if (property.GetCustomAttribute<SchemaMaxItemsAttribute>() is { } maxItems)
        {
            schema["maxItems"] = maxItems.Value;
        }

        if (property.GetCustomAttribute<ListMapKeysAttribute>() is { } listMap)
        {
            schema["x-kubernetes-list-type"] = "map";
            schema["x-kubernetes-list-map-keys"] = new JsonArray(listMap.Keys.Select(k => (JsonNode?)JsonValue.Create(k)).ToArray());
        }

        var rules = new List<(string Rule, string Message)>();
        if (property.GetCustomAttribute<ImmutableAttribute>() is { } immutable)
        {
            rules.Add(("self == oldSelf", immutable.Message));
        }

        rules.AddRange(property.GetCustomAttributes<CelRuleAttribute>().Select(r => (r.Rule, r.Message)));
        AddValidations(schema, rules);
        return schema;
    }

    private static JsonObject ForType(Type type)
    {
        if (type == typeof(string))
        {
            return new JsonObject { ["type"] = "string" };
        }

        if (type == typeof(int))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = "int32" };
        }

        if (type == typeof(long))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = "int64" };
        }

        if (type == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }

        if (type == typeof(double))
        {
            return new JsonObject { ["type"] = "number" };
        }

        if (type.IsEnum)
        {
            return new JsonObject
            {
                ["type"] = "string",
                ["enum"] = new JsonArray(EnumNames(type).Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()),
            };
        }

        if (type.GetCustomAttribute<IntOrStringAttribute>() is { } intOrString)
        {
            var schema = new JsonObject
            {
                ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" }),
            };
            AddIfPresent(schema, "pattern", intOrString.Pattern);
            schema["x-kubernetes-int-or-string"] = true;
            return schema;
        }

        if (type == typeof(JsonObject))
        {
            return new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            var args = type.GetGenericArguments();
            if (args[0] != typeof(string))
            {
                throw new NotSupportedException($"map keys must be strings: {type}");
            }

            return new JsonObject { ["type"] = "object", ["additionalProperties"] = ForType(args[1]) };
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            return new JsonObject { ["type"] = "array", ["items"] = ForType(type.GetGenericArguments()[0]) };
        }

        if (type.IsClass && type != typeof(object))
        {
            return ForObject(type);
        }

        throw new NotSupportedException($"no schema mapping for {type}");
    }

    private static void AddValidations(JsonObject schema, IEnumerable<(string Rule, string Message)> rules)
    {
        var list = new JsonArray();
        foreach (var (rule, message) in rules)
        {
            list.Add(new JsonObject { ["rule"] = rule, ["message"] = message });
        }

        if (list.Count > 0)
        {
            schema["x-kubernetes-validations"] = list;
        }
    }

    private static void AddIfPresent(JsonObject target, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            target[key] = value;
        }
    }

    private static JsonObject Prepend(JsonObject source, string key, string value)
    {
        var result = new JsonObject { [key] = value };
        foreach (var name in source.Select(p => p.Key).ToList())
        {
            var node = source[name];
            source.Remove(name);
            result[name] = node;
        }

        return result;
    }
}
