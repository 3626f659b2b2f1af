using System.Text.Json.Nodes;

namespace Tributary.Operator.Rendering;

/// <summary>Labels on objects rendered for a KafkaCluster (recommended app.kubernetes.io labels plus ours).</summary>
public static class ClusterLabels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Instance = "app.kubernetes.io/instance";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string PartOf = "app.kubernetes.io/part-of";
    public const string Component = "app.kubernetes.io/component";
    public const string Zone = "tributary.dev/zone";
    public const string Role = "tributary.dev/role";
    public const string ConfigHash = "tributary.dev/config-hash";
    public const string ManagerName = "tributary-operator";

    /// <summary>Labels every rendered object carries.</summary>
    public static JsonObject Common(string cluster) => new()
    {
        [Name] = "kafka",
        [Instance] = cluster,
        [ManagedBy] = ManagerName,
        [PartOf] = "tributary",
    };

    /// <summary>Selects every Kafka pod (brokers and controllers) of the cluster.</summary>
    public static JsonObject ClusterSelector(string cluster) => new() { [Name] = "kafka", [Instance] = cluster };

    /// <summary>Selects the pods of one role, optionally in one zone (StatefulSet selectors; immutable).</summary>
    public static JsonObject NodeSelector(string cluster, NodeRole role, string? zone)
    {
        var labels = ClusterSelector(cluster);
        labels[Role] = RoleValue(role);
        if (zone is not null)
        {
            labels[Zone] = zone;
        }

        return labels;
    }

    public static string RoleValue(NodeRole role) => role == NodeRole.Broker ? "broker" : "controller";
}
