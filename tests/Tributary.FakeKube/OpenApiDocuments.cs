using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Tributary.FakeKube;

/// <summary>
/// Minimal OpenAPI v3 documents: per group/version, the PATCH/PUT/POST operations of each resource with
/// its x-kubernetes-group-version-kind and the fieldValidation parameter. That is what kubectl checks to
/// leave validation to the server (so it needs no schemas to create or apply).
/// </summary>
internal static class OpenApiDocuments
{
    public static JsonObject Index(ResourceRegistry registry)
    {
        var paths = new JsonObject();
        foreach (var (group, version) in registry.GroupVersions())
        {
            var key = group.Length == 0 ? "api/" + version : "apis/" + group + "/" + version;
            var doc = GroupVersion(registry, group, version);
            paths[key] = new JsonObject { ["serverRelativeURL"] = "/openapi/v3/" + key + "?hash=" + Hash(doc) };
        }
        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject? GroupVersion(ResourceRegistry registry, string group, string version)
    {
        var infos = registry.All.Where(r => r.Descriptor.Group == group && r.Descriptor.Version == version).ToList();
        if (infos.Count == 0)
        {
            return null;
        }
        var paths = new JsonObject();
        foreach (var info in infos)
        {
            var d = info.Descriptor;
            var collection = d.Namespaced
                ? d.GroupVersionPath + "/namespaces/{namespace}/" + d.Plural
                : d.GroupVersionPath + "/" + d.Plural;
            paths[collection] = new JsonObject { ["post"] = Operation(info, "post") };
            paths[collection + "/{name}"] = new JsonObject
            {
                ["put"] = Operation(info, "put"),
                ["patch"] = Operation(info, "patch"),
            };
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static JsonObject Operation(ResourceInfo info, string action) => new()
    {
        ["operationId"] = action + info.Descriptor.Kind,
        ["parameters"] = new JsonArray(
            new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
            new JsonObject { ["name"] = "fieldManager", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } }),
        ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
        ["x-kubernetes-action"] = action,
        ["x-kubernetes-group-version-kind"] = new JsonObject
        {
            ["group"] = info.Descriptor.Group,
            ["version"] = info.Descriptor.Version,
            ["kind"] = info.Descriptor.Kind,
        },
    };

    private static string Hash(JsonObject? doc) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(doc?.ToJsonString() ?? "")), 0, 16);
}
