using System.ComponentModel;
using System.Reflection;
using System.Text.Json.Nodes;

namespace Tributary.Operator.Crds;

/// <summary>Turns a [CustomResource] C# type into an apiextensions.k8s.io/v1 CustomResourceDefinition.</summary>
public static class CrdGenerator
{
    /// <summary>metadata.name of the CRD: plural.group.</summary>
    public static string CrdName(Type resourceType) => Info(resourceType).Plural + "." + Info(resourceType).Group;

    /// <summary>File name, kubebuilder style: group_plural.yaml.</summary>
    public static string FileName(Type resourceType) => Info(resourceType).Group + "_" + Info(resourceType).Plural + ".yaml";

    /// <summary>The CRD object. Key order is fixed, so YAML written from it is byte-for-byte stable.</summary>
    public static JsonObject Generate(Type resourceType)
    {
        var info = Info(resourceType);
        var (specType, statusType) = SpecAndStatus(resourceType);

        var names = new JsonObject
        {
            ["kind"] = info.Kind,
            ["listKind"] = info.Kind + "List",
            ["plural"] = info.Plural,
            ["singular"] = info.Singular ?? info.Kind.ToLowerInvariant(),
        };
        AddList(names, "shortNames", info.ShortNames);
        AddList(names, "categories", info.Categories);

        var version = new JsonObject
        {
            ["name"] = info.Version,
            ["served"] = true,
            ["storage"] = true,
        };
        var columns = new JsonArray();
        foreach (var column in resourceType.GetCustomAttributes<PrinterColumnAttribute>())
        {
            var c = new JsonObject { ["name"] = column.Name, ["type"] = column.Type, ["jsonPath"] = column.JsonPath };
            if (column.Description is not null)
            {
                c["description"] = column.Description;
            }

            if (column.Priority != 0)
            {
                c["priority"] = column.Priority;
            }

            columns.Add(c);
        }

        if (columns.Count > 0)
        {
            version["additionalPrinterColumns"] = columns;
        }

        var root = new JsonObject();
        var description = resourceType.GetCustomAttribute<DescriptionAttribute>()?.Description;
        if (description is not null)
        {
            root["description"] = description;
        }

        root["type"] = "object";
        root["properties"] = new JsonObject
        {
            ["apiVersion"] = new JsonObject
            {
                ["description"] = "APIVersion defines the versioned schema of this representation of an object.",
                ["type"] = "string",
            },
            ["kind"] = new JsonObject
            {
                ["description"] = "Kind is a string value representing the REST resource this object represents.",
                ["type"] = "string",
            },
            ["metadata"] = new JsonObject { ["type"] = "object" },
            ["spec"] = SchemaGenerator.ForObject(specType),
            ["status"] = SchemaGenerator.ForObject(statusType),
        };
        root["required"] = new JsonArray("spec");

        version["schema"] = new JsonObject { ["openAPIV3Schema"] = root };
        version["subresources"] = new JsonObject { ["status"] = new JsonObject() };

        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject { ["name"] = info.Plural + "." + info.Group },
            ["spec"] = new JsonObject
            {
                ["group"] = info.Group,
                ["names"] = names,
                ["scope"] = "Namespaced",
                ["versions"] = new JsonArray(version),
            },
        };
    }

    private static CustomResourceAttribute Info(Type resourceType)
    {
        ArgumentNullException.ThrowIfNull(resourceType);
        return resourceType.GetCustomAttribute<CustomResourceAttribute>()
            ?? throw new ArgumentException($"{resourceType} has no [CustomResource]", nameof(resourceType));
    }

    private static (Type Spec, Type Status) SpecAndStatus(Type resourceType)
    {
        for (var t = resourceType.BaseType; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Api.CustomResource<,>))
            {
                var args = t.GetGenericArguments();
                return (args[0], args[1]);
            }
        }

        throw new ArgumentException($"{resourceType} does not derive from CustomResource<TSpec, TStatus>", nameof(resourceType));
    }

    private static void AddList(JsonObject target, string key, string commaSeparated)
    {
        var items = commaSeparated.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (items.Length > 0)
        {
            target[key] = new JsonArray(items.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());
        }
    }
}
