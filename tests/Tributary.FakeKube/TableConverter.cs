using System.Globalization;
using System.Text.Json.Nodes;
using Tributary.Kube;

namespace Tributary.FakeKube;

/// <summary>
/// Server-side printing (meta.k8s.io/v1 Table) for kubectl's default output: Name, a few kind-specific
/// columns (CRD additionalPrinterColumns for custom resources) and Age.
/// </summary>
internal static class TableConverter
{
    public static JsonObject ToTable(ResourceInfo info, IEnumerable<JsonObject> objects, string resourceVersion, DateTimeOffset now)
    {
        var columns = Columns(info);
        var definitions = new JsonArray(new JsonObject { ["name"] = "Name", ["type"] = "string", ["format"] = "name", ["description"] = "Name", ["priority"] = 0 });
        foreach (var (name, _) in columns)
        {
            definitions.Add(new JsonObject { ["name"] = name, ["type"] = "string", ["format"] = "", ["description"] = name, ["priority"] = 0 });
        }
        definitions.Add(new JsonObject { ["name"] = "Age", ["type"] = "string", ["format"] = "", ["description"] = "Age", ["priority"] = 0 });
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var cells = new JsonArray(obj.Name());
            foreach (var (_, path) in columns)
            {
                cells.Add(Cell(obj, path));
            }
            cells.Add(Age(obj, now));
            var full = (JsonObject)obj.DeepClone();
            full["apiVersion"] ??= info.Descriptor.ApiVersion;
            full["kind"] ??= info.Descriptor.Kind;
            rows.Add(new JsonObject { ["cells"] = cells, ["object"] = full });
        }
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
            ["columnDefinitions"] = definitions,
            ["rows"] = rows,
        };
    }

    private static List<(string Name, string Path)> Columns(ResourceInfo info)
    {
        if (info.PrinterColumns.Count > 0)
        {
            return info.PrinterColumns.Where(c => !string.Equals(c.Name, "Age", StringComparison.OrdinalIgnoreCase)).ToList();
        }
        return info.Key switch
        {
            "/pods" => [("Status", ".status.phase"), ("IP", ".status.podIP")],
            "/services" => [("Type", ".spec.type"), ("Cluster-IP", ".spec.clusterIP")],
            "/namespaces" => [("Status", ".status.phase")],
            "/persistentvolumeclaims" => [("Status", ".status.phase")],
            "apps/statefulsets" or "apps/deployments" => [("Replicas", ".spec.replicas"), ("Ready", ".status.readyReplicas")],
            _ => [],
        };
    }

    private static JsonNode? Cell(JsonObject obj, string jsonPath)
    {
        var node = jsonPath.Contains("[?(", StringComparison.Ordinal) ? Filtered(obj, jsonPath) : obj.At(jsonPath.TrimStart('.'));
        return node switch
        {
            null => "<none>",
            JsonValue v => v.ToString(),
            _ => node.ToJsonString(),
        };
    }

    // The JSONPath subset CRD printer columns use for conditions: .a.b[?(@.type=="Ready")].status
    private static JsonNode? Filtered(JsonObject obj, string jsonPath)
    {
        JsonNode? current = obj;
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(
            jsonPath, @"\.([A-Za-z0-9_-]+)|\[\?\(@\.([A-Za-z0-9_-]+)==""([^""]*)""\)\]"))
        {
            current = m.Groups[1].Success
                ? (current as JsonObject)?[m.Groups[1].Value]
                : (current as JsonArray)?.OfType<JsonObject>().FirstOrDefault(o => o.GetString(m.Groups[2].Value) == m.Groups[3].Value);
            if (current is null)
            {
                return null;
            }
        }
        return current;
    }

    private static string Age(JsonObject obj, DateTimeOffset now)
    {
        if (KubeJson.ParseTime(obj["metadata"]?["creationTimestamp"]?.ToString()) is not { } created)
        {
            return "<unknown>";
        }
        var age = now - created;
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }
        return age.TotalSeconds < 120 ? ((int)age.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s"
            : age.TotalMinutes < 120 ? ((int)age.TotalMinutes).ToString(CultureInfo.InvariantCulture) + "m"
            : age.TotalHours < 48 ? ((int)age.TotalHours).ToString(CultureInfo.InvariantCulture) + "h"
            : ((int)age.TotalDays).ToString(CultureInfo.InvariantCulture) + "d";
    }
}
