using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tributary.FakeKube;

/// <summary>
/// Field ownership as sets of paths, in the spirit of managedFields' FieldsV1: "f:name" steps into a map
/// key, "k:{\"name\":\"x\"}" into the item of an associative list. Every node on a path is a member,
/// so intermediate nodes show who co-owns a subtree. Lists of objects that all carry "name" (or all carry
/// "type", like conditions) are associative; other lists are atomic leaves.
/// </summary>
public static class FieldPaths
{
    public const char Separator = '\u001f';

    /// <summary>Paths of every field set in <paramref name="obj"/>, filtered at the top level.</summary>
    public static HashSet<string> Collect(JsonObject obj, Func<string, bool> includeTopLevel)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(includeTopLevel);
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (!includeTopLevel(key))
            {
                continue;
            }
            if (key == "metadata" && value is JsonObject meta)
            {
                // Identity and server-managed metadata are never owned.
                foreach (var (mk, mv) in meta)
                {
                    if (mk is "labels" or "annotations" or "finalizers" or "ownerReferences")
                    {
                        AddNode("f:metadata" + Separator + "f:" + mk, mv, set);
                    }
                }
                if (set.Count > 0)
                {
                    set.Add("f:metadata");
                }
                continue;
            }
            AddNode("f:" + key, value, set);
        }
        return set;
    }

    private static void AddNode(string path, JsonNode? value, HashSet<string> set)
    {
        set.Add(path);
        switch (value)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    AddNode(path + Separator + "f:" + k, v, set);
                }
                break;
            case JsonArray a when AssociativeKey(a) is { } keyField:
                foreach (var item in a.OfType<JsonObject>())
                {
                    var itemPath = path + Separator + ItemSegment(keyField, item);
                    set.Add(itemPath);
                    foreach (var (k, v) in item)
                    {
                        AddNode(itemPath + Separator + "f:" + k, v, set);
                    }
                }
                break;
        }
    }

    /// <summary>The merge key of an associative list ("name" or "type"), or null for an atomic list.</summary>
    public static string? AssociativeKey(JsonArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Count == 0 || !array.All(i => i is JsonObject))
        {
            return null;
        }
        foreach (var candidate in new[] { "name", "type" })
        {
            if (array.All(i => i is JsonObject o && o[candidate] is JsonValue v && v.GetValueKind() == JsonValueKind.String))
            {
                return candidate;
            }
        }
        return null;
    }

    public static string ItemSegment(string keyField, JsonObject item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return "k:" + new JsonObject { [keyField] = item[keyField]?.DeepClone() }.ToJsonString();
    }

    /// <summary>Paths that have children in the set (the rest are leaves).</summary>
    public static HashSet<string> Intermediates(IEnumerable<string> set)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in set)
        {
            for (var i = path.LastIndexOf(Separator); i > 0; i = path.LastIndexOf(Separator, i - 1))
            {
                if (!result.Add(path[..i]))
                {
                    break;
                }
            }
        }
        return result;
    }

    /// <summary>The node at a path, with its parent container and final segment; null when absent.</summary>
    public static (JsonNode Parent, string Segment, JsonNode? Node)? Locate(JsonObject root, string path)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(path);
        JsonNode parent = root;
        var segments = path.Split(Separator);
        for (var i = 0; i < segments.Length; i++)
        {
            var node = Step(parent, segments[i]);
            if (i == segments.Length - 1)
            {
                return node is null && !Exists(parent, segments[i]) ? null : (parent, segments[i], node);
            }
            if (node is null)
            {
                return null;
            }
            parent = node;
        }
        return null;
    }

    private static bool Exists(JsonNode parent, string segment) =>
        segment.StartsWith("f:", StringComparison.Ordinal) && parent is JsonObject o && o.ContainsKey(segment[2..]);

    public static JsonNode? Step(JsonNode parent, string segment)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(segment);
        if (segment.StartsWith("f:", StringComparison.Ordinal))
        {
            return parent is JsonObject o ? o[segment[2..]] : null;
        }
        if (segment.StartsWith("k:", StringComparison.Ordinal) && parent is JsonArray a)
        {
            var key = JsonNode.Parse(segment[2..]) as JsonObject;
            return a.OfType<JsonObject>().FirstOrDefault(item => key is not null && key.All(kv => JsonNode.DeepEquals(item[kv.Key], kv.Value)));
        }
        return null;
    }

    /// <summary>FieldsV1 tree of a path set.</summary>
    public static JsonObject ToFieldsV1(IEnumerable<string> set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var root = new JsonObject();
        foreach (var path in set.OrderBy(p => p, StringComparer.Ordinal))
        {
            var node = root;
            foreach (var segment in path.Split(Separator))
            {
                if (node[segment] is not JsonObject child)
                {
                    child = new JsonObject();
                    node[segment] = child;
                }
                node = child;
            }
        }
        return root;
    }

    /// <summary>Path set of a FieldsV1 tree.</summary>
    public static HashSet<string> FromFieldsV1(JsonObject? tree)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (tree is not null)
        {
            Walk(tree, "", set);
        }
        return set;
    }

    private static void Walk(JsonObject node, string prefix, HashSet<string> set)
    {
        foreach (var (segment, child) in node)
        {
            if (segment == ".")
            {
                continue;
            }
            var path = prefix.Length == 0 ? segment : prefix + Separator + segment;
            set.Add(path);
            if (child is JsonObject c)
            {
                Walk(c, path, set);
            }
        }
    }

    /// <summary>Human-readable path for conflict messages: ".spec.replicas".</summary>
    public static string Display(string path) =>
        string.Concat(path.Split(Separator).Select(s => s.StartsWith("f:", StringComparison.Ordinal) ? "." + s[2..] : "[" + s[2..] + "]"));
}
