using System.Text.Json.Nodes;
using Tributary.Operator.Api;

namespace Tributary.Operator.Rendering;

/// <summary>
/// Services for loadbalancer and nodeport listeners: one per broker (Kafka clients must reach each
/// broker directly) plus one bootstrap Service per listener.
/// </summary>
public static class ListenerServiceRenderer
{
    public static IReadOnlyList<JsonObject> Render(KafkaClusterRenderInput input, ClusterLayout layout)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(layout);
        var result = new List<JsonObject>();
        foreach (var listener in input.Cluster.Spec.Listeners.Where(l => l.Type != ListenerType.Internal))
        {
            var type = listener.Type == ListenerType.LoadBalancer ? "LoadBalancer" : "NodePort";
            var labels = new JsonObject { ["tributary.dev/listener"] = listener.Name };

            var bootstrap = KubeObject.Create("v1", "Service", ObjectNames.ListenerBootstrapService(input.Name, listener.Name), input, labels);
            bootstrap["spec"] = new JsonObject
            {
                ["type"] = type,
                ["selector"] = ClusterLabels.NodeSelector(input.Name, NodeRole.Broker, null),
                ["ports"] = new JsonArray(ServiceRenderer.Port(listener.Name, listener.Port)),
            };
            result.Add(bootstrap);

            foreach (var broker in layout.Brokers)
            {
                var brokerLabels = (JsonObject)labels.DeepClone();
                brokerLabels["tributary.dev/broker-id"] = broker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var service = KubeObject.Create("v1", "Service", ObjectNames.ListenerBrokerService(input.Name, listener.Name, broker.Id), input, brokerLabels);
                service["spec"] = new JsonObject
                {
                    ["type"] = type,
                    // Traffic must land on this broker's node: no second hop, and the client IP is kept.
                    ["externalTrafficPolicy"] = "Local",
                    ["publishNotReadyAddresses"] = true,
                    ["selector"] = new JsonObject { ["statefulset.kubernetes.io/pod-name"] = broker.Pod },
                    ["ports"] = new JsonArray(ServiceRenderer.Port(listener.Name, listener.Port)),
                };
                result.Add(service);
            }
        }

        return result;
    }
}
