using System.Text.Json.Nodes;

namespace Tributary.Operator.Rendering;

/// <summary>At most one Kafka node of the cluster may be voluntarily disrupted (drains, upgrades) at a time.</summary>
public static class PodDisruptionBudgetRenderer
{
    public static JsonObject Render(KafkaClusterRenderInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var pdb = KubeObject.Create("policy/v1", "PodDisruptionBudget", ObjectNames.PodDisruptionBudget(input.Name), input);
        pdb["spec"] = new JsonObject
        {
            ["maxUnavailable"] = 1,
            ["selector"] = new JsonObject { ["matchLabels"] = ClusterLabels.ClusterSelector(input.Name) },
        };
        return pdb;
    }
}
