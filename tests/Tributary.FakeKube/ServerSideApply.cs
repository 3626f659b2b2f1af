using System.Text.Json.Nodes;
using Tributary.Kube;

namespace Tributary.FakeKube;

/// <summary>
/// An approximation of server-side apply: the applied object merges into the live one (maps recursively,
/// associative lists by key, other lists replaced); fields this manager applied before but left out now
/// are removed unless another manager owns them; ownership is recorded in metadata.managedFields; a field
/// owned by another applier with a different value is a conflict unless forced.
/// </summary>
public static class ServerSideApply
{
    public static JsonObject Apply(JsonObject live, JsonObject applied, ApplyContext context)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(context);
        var include = IncludeFilter(context);
        var newSet = FieldPaths.Collect(applied, include);
        var entries = ReadEntries(live);
        var mine = entries.Find(e => e.Manager == context.Manager && e.Operation == "Apply" && e.Subresource == context.Subresource);
        var oldSet = mine?.Fields ?? new HashSet<string>(StringComparer.Ordinal);
        var others = entries.Where(e => !ReferenceEquals(e, mine)).ToList();

        var newIntermediates = FieldPaths.Intermediates(newSet);
        var conflicts = new List<(string Manager, string Path)>();
        foreach (var path in newSet.Where(p => !newIntermediates.Contains(p)))
        {
            foreach (var other in others.Where(o => o.Operation == "Apply" && o.Fields.Contains(path)))
            {
                var liveNode = FieldPaths.Locate(live, path)?.Node;
                var appliedNode = FieldPaths.Locate(applied, path)?.Node;
                if (!JsonNode.DeepEquals(liveNode, appliedNode))
                {
                    conflicts.Add((other.Manager, path));
                }
            }
        }
        if (conflicts.Count > 0)
        {
            if (!context.Force)
            {
                var detail = string.Join("\n", conflicts.Select(c => $"- conflict with \"{c.Manager}\": {FieldPaths.Display(c.Path)}"));
                throw new FakeApiException(409, "Conflict",
                    $"Apply failed with {conflicts.Count} conflict{(conflicts.Count == 1 ? "" : "s")}: {detail}", context.Info.Details(context.Name));
            }
            // Forcing moves the conflicting fields to this manager.
            foreach (var (manager, path) in conflicts)
            {
                foreach (var other in others.Where(o => o.Manager == manager))
                {
                    other.Fields.Remove(path);
                }
            }
        }

        var result = (JsonObject)live.DeepClone();
        var othersUnion = new HashSet<string>(others.SelectMany(o => o.Fields), StringComparer.Ordinal);
        var oldIntermediates = FieldPaths.Intermediates(oldSet);
        var toRemove = oldSet.Where(p => !newSet.Contains(p) && !othersUnion.Contains(p))
            .OrderByDescending(p => p.Count(c => c == FieldPaths.Separator))
            .ToList();
        var removedItems = toRemove.Where(p => LastSegment(p).StartsWith("k:", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        foreach (var path in toRemove)
        {
            // Fields inside a list item that goes as a whole are not removed one by one
            // (removing its key field first would make the item unfindable).
            if (!HasRemovedItemAncestor(path, removedItems))
            {
                RemoveOwned(result, path, oldIntermediates.Contains(path));
            }
        }

        foreach (var (key, value) in applied)
        {
            if (!include(key))
            {
                continue;
            }
            if (key == "metadata" && value is JsonObject meta)
            {
                var target = result.Metadata();
                foreach (var (mk, mv) in meta)
                {
                    if (mk is "labels" or "annotations" or "finalizers" or "ownerReferences")
                    {
                        MergeField(target, mk, mv);
                    }
                }
                continue;
            }
            MergeField(result, key, value);
        }

        if (mine is null)
        {
            mine = new ManagedEntry(context.Manager, "Apply", context.Subresource, newSet, context.ApiVersion, context.Time);
            entries.Add(mine);
        }
        else
        {
            mine.Fields = newSet;
            mine.Time = context.Time;
        }
        WriteEntries(result, entries);
        return result;
    }

    /// <summary>Which top-level fields an apply to the main resource or to /status may touch.</summary>
    public static Func<string, bool> IncludeFilter(ApplyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Subresource == "status")
        {
            return key => key == "status";
        }
        return key => key is not ("apiVersion" or "kind") && !(context.Info.HasStatus && key == "status");
    }

    /// <summary>Records ownership for a create done by apply.</summary>
    public static void RecordCreate(JsonObject created, JsonObject applied, ApplyContext context)
    {
        ArgumentNullException.ThrowIfNull(created);
        ArgumentNullException.ThrowIfNull(context);
        var set = FieldPaths.Collect(applied, IncludeFilter(context));
        WriteEntries(created, [new ManagedEntry(context.Manager, "Apply", context.Subresource, set, context.ApiVersion, context.Time)]);
    }

    private static string LastSegment(string path) => path[(path.LastIndexOf(FieldPaths.Separator) + 1)..];

    private static bool HasRemovedItemAncestor(string path, HashSet<string> removedItems)
    {
        for (var i = path.LastIndexOf(FieldPaths.Separator); i > 0; i = path.LastIndexOf(FieldPaths.Separator, i - 1))
        {
            if (removedItems.Contains(path[..i]))
            {
                return true;
            }
        }
        return false;
    }

    private static void RemoveOwned(JsonObject root, string path, bool wasIntermediate)
    {
        if (FieldPaths.Locate(root, path) is not var (parent, segment, node))
        {
            return;
        }
        if (segment.StartsWith("k:", StringComparison.Ordinal))
        {
            if (parent is JsonArray array && node is not null)
            {
                array.Remove(node);
            }
            return;
        }
        if (parent is JsonObject map)
        {
            var emptied = node is JsonObject { Count: 0 } or JsonArray { Count: 0 };
            if (!wasIntermediate || emptied)
            {
                map.Remove(segment[2..]);
            }
        }
    }

    private static void MergeField(JsonObject target, string key, JsonNode? value)
    {
        var existing = target[key];
        if (value is JsonObject source && existing is JsonObject dest)
        {
            foreach (var (k, v) in source)
            {
                MergeField(dest, k, v);
            }
            return;
        }
        if (value is JsonArray sourceList && existing is JsonArray destList
            && FieldPaths.AssociativeKey(sourceList) is { } keyField
            && destList.All(d => d is JsonObject))
        {
            foreach (var item in sourceList.OfType<JsonObject>())
            {
                var match = destList.OfType<JsonObject>().FirstOrDefault(d => JsonNode.DeepEquals(d[keyField], item[keyField]));
                if (match is null)
                {
                    destList.Add(item.DeepClone());
                }
                else
                {
                    foreach (var (k, v) in item)
                    {
                        MergeField(match, k, v);
                    }
                }
            }
            return;
        }
        target[key] = value?.DeepClone();
    }

    private static List<ManagedEntry> ReadEntries(JsonObject obj)
    {
        var list = new List<ManagedEntry>();
        if (obj["metadata"]?["managedFields"] is JsonArray array)
        {
            foreach (var e in array.OfType<JsonObject>())
            {
                list.Add(new ManagedEntry(
                    e.GetString("manager") ?? "",
                    e.GetString("operation") ?? "Update",
                    e.GetString("subresource"),
                    FieldPaths.FromFieldsV1(e["fieldsV1"] as JsonObject),
                    e.GetString("apiVersion") ?? "",
                    e.GetString("time") ?? ""));
            }
        }
        return list;
    }

    private static void WriteEntries(JsonObject obj, List<ManagedEntry> entries)
    {
        var array = new JsonArray();
        foreach (var e in entries.Where(e => e.Fields.Count > 0))
        {
            var entry = new JsonObject
            {
                ["manager"] = e.Manager,
                ["operation"] = e.Operation,
                ["apiVersion"] = e.ApiVersion,
                ["time"] = e.Time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = FieldPaths.ToFieldsV1(e.Fields),
            };
            if (e.Subresource is not null)
            {
                entry["subresource"] = e.Subresource;
            }
            array.Add(entry);
        }
        obj.Metadata()["managedFields"] = array;
    }

    private sealed class ManagedEntry(string manager, string operation, string? subresource, HashSet<string> fields, string apiVersion, string time)
    {
        public string Manager { get; } = manager;
        public string Operation { get; } = operation;
        public string? Subresource { get; } = subresource;
        public HashSet<string> Fields { get; set; } = fields;
        public string ApiVersion { get; } = apiVersion;
        public string Time { get; set; } = time;
    }
}
