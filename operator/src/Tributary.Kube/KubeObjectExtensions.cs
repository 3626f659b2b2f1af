using System.Text.Json.Nodes;

namespace Tributary.Kube;

/// <summary>Accessors for the standard fields of untyped Kubernetes objects.</summary>
public static class KubeObjectExtensions
{
    public static JsonObject Metadata(this JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (obj["metadata"] is JsonObject m)
        {
            return m;
        }
        var created = new JsonObject();
        obj["metadata"] = created;
        return created;
    }

    public static string? GetString(this JsonObject obj, string property) =>
        obj[property] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static string? Name(this JsonObject obj) => Meta(obj)?.GetString("name");

    public static string? Namespace(this JsonObject obj) => Meta(obj)?.GetString("namespace");

    public static string? ResourceVersion(this JsonObject obj) => Meta(obj)?.GetString("resourceVersion");

    public static string? Uid(this JsonObject obj) => Meta(obj)?.GetString("uid");

    public static long Generation(this JsonObject obj) => AsInt64(Meta(obj)?["generation"]) ?? 0;

    /// <summary>
    /// Reads an integer whether the node was parsed from JSON or built from a CLR int/long/double
    /// (JsonValue.TryGetValue does not convert between CLR numeric types).
    /// </summary>
    public static long? AsInt64(this JsonNode? node)
    {
        if (node is not JsonValue v)
        {
            return null;
        }
        if (v.TryGetValue<long>(out var l))
        {
            return l;
        }
        if (v.TryGetValue<int>(out var i))
        {
            return i;
        }
        if (v.TryGetValue<double>(out var d) && Math.Abs(d % 1) < double.Epsilon)
        {
            return (long)d;
        }
        return v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            && long.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : null;
    }

    public static bool IsDeleting(this JsonObject obj) => Meta(obj)?["deletionTimestamp"] is not null;

    public static string? Label(this JsonObject obj, string key) =>
        Meta(obj)?["labels"] is JsonObject labels ? labels.GetString(key) : null;

    public static IReadOnlyList<string> Finalizers(this JsonObject obj) =>
        Meta(obj)?["finalizers"] is JsonArray a
            ? a.Select(n => n?.GetValue<string>()).OfType<string>().ToList()
            : [];

    /// <summary>Cache key used by informers and work queues: "namespace/name", or "name" when cluster-scoped.</summary>
    public static string Key(this JsonObject obj)
    {
        var ns = obj.Namespace();
        var name = obj.Name() ?? "";
        return string.IsNullOrEmpty(ns) ? name : ns + "/" + name;
    }

    /// <summary>Walks a dotted path ("status.readyReplicas") and returns the node there, if any.</summary>
    public static JsonNode? At(this JsonObject obj, string dottedPath)
    {
        JsonNode? current = obj;
        foreach (var part in dottedPath.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            current = current is JsonObject o ? o[part] : null;
            if (current is null)
            {
                return null;
            }
        }
        return current;
    }

    private static JsonObject? Meta(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj["metadata"] as JsonObject;
    }
}
