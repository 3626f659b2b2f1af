using System.Text.Json.Nodes;
using Tributary.Operator.Api;

namespace Tributary.Operator.Rendering;

/// <summary>Builds the envelope of a rendered object: apiVersion, kind and metadata with labels and owner.</summary>
public static class KubeObject
{
    public static JsonObject Create(string apiVersion, string kind, string name, KafkaClusterRenderInput input, JsonObject? extraLabels = null, JsonObject? annotations = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var labels = ClusterLabels.Common(input.Name);
        foreach (var (key, value) in extraLabels ?? [])
        {
            labels[key] = value?.DeepClone();
        }

        var metadata = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = input.Namespace,
            ["labels"] = labels,
        };
        if (annotations is { Count: > 0 })
        {
            metadata["annotations"] = annotations;
        }

        metadata["ownerReferences"] = new JsonArray(OwnerReference(input.Cluster));
        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
    }

    /// <summary>Controller owner reference to the KafkaCluster, so deleting it garbage-collects everything.</summary>
    public static JsonObject OwnerReference(KafkaCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return new JsonObject
        {
            ["apiVersion"] = KafkaApi.ApiVersion,
            ["kind"] = cluster.Kind,
            ["name"] = cluster.Metadata.Name,
            ["uid"] = cluster.Metadata.Uid ?? throw new InvalidOperationException("metadata.uid is required for owner references"),
            ["controller"] = true,
            ["blockOwnerDeletion"] = true,
        };
    }

    /// <summary>A JSON array of strings.</summary>
    public static JsonArray Strings(params string[] values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
