using System.Text.Json.Nodes;

namespace Tributary.FakeKube;

/// <summary>Legacy (non-aggregated) discovery documents built from the registry, enough for kubectl.</summary>
internal static class Discovery
{
    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly HashSet<string> CategoryAll = new(StringComparer.Ordinal)
    {
        "/pods", "/services", "apps/statefulsets", "apps/deployments",
    };

    /// <summary>Kinds served with a /scale subresource.</summary>
    public static bool HasScale(ResourceInfo info) => info.Key is "apps/statefulsets" or "apps/deployments";

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0-tributary-fake",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "go1.23",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject GroupList(ResourceRegistry registry)
    {
        var groups = new JsonArray();
        foreach (var g in registry.GroupVersions().Where(g => g.Group.Length > 0).GroupBy(g => g.Group))
        {
            groups.Add(Group(g.Key, g.Select(x => x.Version).ToList()));
        }
        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    public static JsonObject? GroupDocument(ResourceRegistry registry, string group)
    {
        var versions = registry.GroupVersions().Where(g => g.Group == group).Select(g => g.Version).ToList();
        if (versions.Count == 0)
        {
            return null;
        }
        var doc = Group(group, versions);
        doc["kind"] = "APIGroup";
        doc["apiVersion"] = "v1";
        return doc;
    }

    private static JsonObject Group(string name, List<string> versions)
    {
        var list = new JsonArray();
        foreach (var v in versions)
        {
            list.Add(new JsonObject { ["groupVersion"] = name + "/" + v, ["version"] = v });
        }
        return new JsonObject
        {
            ["name"] = name,
            ["versions"] = list,
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = name + "/" + versions[0], ["version"] = versions[0] },
        };
    }

    public static JsonObject? ResourceList(ResourceRegistry registry, string group, string version)
    {
        var infos = registry.All.Where(r => r.Descriptor.Group == group && r.Descriptor.Version == version).ToList();
        if (infos.Count == 0)
        {
            return null;
        }
        var resources = new JsonArray();
        foreach (var info in infos)
        {
            var d = info.Descriptor;
            var entry = new JsonObject
            {
                ["name"] = d.Plural,
                ["singularName"] = info.Singular,
                ["namespaced"] = d.Namespaced,
                ["kind"] = d.Kind,
                ["verbs"] = new JsonArray(AllVerbs.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
            };
            if (info.ShortNames.Count > 0)
            {
                entry["shortNames"] = new JsonArray(info.ShortNames.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
            }
            if (CategoryAll.Contains(info.Key))
            {
                entry["categories"] = new JsonArray("all");
            }
            resources.Add(entry);
            if (HasScale(info))
            {
                resources.Add(new JsonObject
                {
                    ["name"] = d.Plural + "/scale",
                    ["singularName"] = "",
                    ["namespaced"] = d.Namespaced,
                    ["group"] = "autoscaling",
                    ["version"] = "v1",
                    ["kind"] = "Scale",
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
            if (info.HasStatus)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = d.Plural + "/status",
                    ["singularName"] = "",
                    ["namespaced"] = d.Namespaced,
                    ["kind"] = d.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : group + "/" + version,
            ["resources"] = resources,
        };
    }
}
