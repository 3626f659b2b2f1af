using System.Text.Json.Nodes;
using Tributary.Operator.Api;

namespace Tributary.Operator.Rendering;

/// <summary>
/// Entry point of KafkaCluster rendering: computes the layout and every desired object. Pure and
/// deterministic; the caller applies the objects with server-side apply and writes status.
/// Validate the spec first (<see cref="Validation.KafkaClusterValidator"/>): rendering assumes a valid spec.
/// </summary>
public static class KafkaClusterRenderer
{
    public static KafkaClusterRender Render(KafkaClusterRenderInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var layout = ClusterLayout.Compute(input.Name, input.Cluster.Spec, input.Zones);
        var plan = ClusterConfigPlanner.Plan(input, layout);

        var objects = new List<JsonObject>();
        objects.AddRange(RbacRenderer.Render(input));
        objects.Add(ConfigMapRenderer.Render(input, plan));
        objects.Add(ServiceRenderer.RenderHeadless(input));
        objects.Add(ServiceRenderer.RenderBootstrap(input));
        objects.AddRange(ListenerServiceRenderer.Render(input, layout));
        for (var z = 0; z < layout.Zones.Count; z++)
        {
            objects.Add(StatefulSetRenderer.RenderBrokers(input, layout, z, plan));
        }

        if (StatefulSetRenderer.RenderControllers(input, layout, plan) is { } controllers)
        {
            objects.Add(controllers);
        }

        objects.Add(PodDisruptionBudgetRenderer.Render(input));

        var internalListener = input.Cluster.Spec.Listeners.FirstOrDefault(l => l.Type == ListenerType.Internal);
        var bootstrap = internalListener is null ? null : ServiceRenderer.BootstrapServers(input, internalListener);
        return new KafkaClusterRender(layout, objects, bootstrap);
    }
}
