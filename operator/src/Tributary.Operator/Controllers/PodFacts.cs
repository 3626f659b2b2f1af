using System.Text.Json.Nodes;
using Tributary.Kube;

namespace Tributary.Operator.Controllers;

/// <summary>Reads the few facts the controllers need from untyped Pod, Node and claim objects.</summary>
public static class PodFacts
{
    public const string RevisionLabel = "controller-revision-hash";

    public static bool IsReady(JsonObject pod) => ConditionIsTrue(pod, "Ready");

    public static string? NodeName(JsonObject pod) => (pod["spec"] as JsonObject)?.GetString("nodeName");

    public static string? Annotation(JsonObject obj, string key) =>
        obj["metadata"]?["annotations"] is JsonObject annotations ? annotations.GetString(key) : null;

    /// <summary>Ready condition of a Node: (ready, time it last changed).</summary>
    public static (bool Ready, DateTimeOffset? Since) NodeReadiness(JsonObject node)
    {
        var condition = Condition(node, "Ready");
        var ready = condition?.GetString("status") == "True";
        return (ready, KubeJson.ParseTime(condition?.GetString("lastTransitionTime")));
    }

    public static bool ConditionIsTrue(JsonObject obj, string type) => Condition(obj, type)?.GetString("status") == "True";

    private static JsonObject? Condition(JsonObject obj, string type) =>
        obj["status"]?["conditions"] is JsonArray conditions
            ? conditions.OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == type)
            : null;
}
