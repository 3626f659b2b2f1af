using System.Globalization;
using System.Text.Json.Nodes;

namespace Tributary.Operator.Rendering;

/// <summary>
/// The per-node configuration ConfigMap: one broker-&lt;id&gt;.properties (or controller-&lt;id&gt;.properties)
/// entry per node. A pod reads $TRIBUTARY_CONFIG_DIR/&lt;role&gt;-&lt;TRIBUTARY_NODE_ID_BASE + ordinal&gt;.properties.
/// </summary>
public static class ConfigMapRenderer
{
    public static string EntryName(NodeSlot node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return ClusterLabels.RoleValue(node.Role) + "-" + node.Id.ToString(CultureInfo.InvariantCulture) + ".properties";
    }

    public static JsonObject Render(KafkaClusterRenderInput input, IReadOnlyList<(NodeSlot Node, BrokerConfigModel Config)> plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var data = new JsonObject();
        foreach (var (node, config) in plan.OrderBy(p => p.Node.Id))
        {
            data[EntryName(node)] = BrokerConfigRenderer.RenderText(config);
        }

        var configMap = KubeObject.Create("v1", "ConfigMap", ObjectNames.ConfigMap(input.Name), input);
        configMap["data"] = data;
        return configMap;
    }
}
