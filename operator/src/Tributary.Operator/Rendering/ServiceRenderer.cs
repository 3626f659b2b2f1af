using System.Text.Json.Nodes;
using Tributary.Operator.Api;

namespace Tributary.Operator.Rendering;

/// <summary>The in-cluster Services: headless (per-pod DNS for every node) and bootstrap (clients).</summary>
public static class ServiceRenderer
{
    /// <summary>
    /// Headless Service over every node. publishNotReadyAddresses: nodes must resolve each other
    /// while still starting, or the quorum could never form.
    /// </summary>
    public static JsonObject RenderHeadless(KafkaClusterRenderInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ports = new JsonArray();
        foreach (var listener in input.Cluster.Spec.Listeners)
        {
            ports.Add(Port(listener.Name, listener.Port));
        }

        ports.Add(Port("replication", ClusterPorts.Replication));
        ports.Add(Port("controller", ClusterPorts.Controller));
        ports.Add(Port("metrics", ClusterPorts.Metrics));

        var service = KubeObject.Create("v1", "Service", ObjectNames.HeadlessService(input.Name), input);
        service["spec"] = new JsonObject
        {
            ["clusterIP"] = "None",
            ["publishNotReadyAddresses"] = true,
            ["selector"] = ClusterLabels.ClusterSelector(input.Name),
            ["ports"] = ports,
        };
        return service;
    }

    /// <summary>ClusterIP Service over ready brokers, on every internal listener.</summary>
    public static JsonObject RenderBootstrap(KafkaClusterRenderInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ports = new JsonArray();
        foreach (var listener in input.Cluster.Spec.Listeners.Where(l => l.Type == ListenerType.Internal))
        {
            ports.Add(Port(listener.Name, listener.Port));
        }

        if (ports.Count == 0)
        {
            // Without internal listeners, in-cluster clients still bootstrap through the first listener's port.
            var first = input.Cluster.Spec.Listeners[0];
            ports.Add(Port(first.Name, first.Port));
        }

        var service = KubeObject.Create("v1", "Service", ObjectNames.BootstrapService(input.Name), input);
        service["spec"] = new JsonObject
        {
            ["type"] = "ClusterIP",
            ["selector"] = ClusterLabels.NodeSelector(input.Name, NodeRole.Broker, null),
            ["ports"] = ports,
        };
        return service;
    }

    /// <summary>bootstrap.servers for in-cluster clients of one listener.</summary>
    public static string BootstrapServers(KafkaClusterRenderInput input, ListenerSpec listener)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(listener);
        return $"{ObjectNames.BootstrapService(input.Name)}.{input.Namespace}.svc:{listener.Port}";
    }

    internal static JsonObject Port(string name, int port) => new()
    {
        ["name"] = name,
        ["port"] = port,
        ["targetPort"] = port,
        ["protocol"] = "TCP",
    };
}
