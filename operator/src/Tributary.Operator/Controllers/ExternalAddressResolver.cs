using System.Text.Json.Nodes;
using Tributary.Kube;
using Tributary.Operator.Api;
using Tributary.Operator.Rendering;

namespace Tributary.Operator.Controllers;

/// <summary>
/// Finds the addresses brokers advertise on loadbalancer and nodeport listeners, from what Kubernetes
/// reports: a LoadBalancer Service's ingress, or the node address and nodePort of a NodePort Service.
/// Brokers without one yet advertise their in-cluster name (see <see cref="KafkaClusterRenderInput.ExternalAddresses"/>).
/// </summary>
public static class ExternalAddressResolver
{
    public static Dictionary<BrokerListenerKey, HostPort> Resolve(
        string cluster, KafkaClusterSpec spec, ClusterLayout layout, Func<string, JsonObject?> service, Func<string, JsonObject?> pod, Func<string, JsonObject?> node)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(node);
        var result = new Dictionary<BrokerListenerKey, HostPort>();
        foreach (var listener in spec.Listeners.Where(l => l.Type != ListenerType.Internal))
        {
            foreach (var broker in layout.Brokers)
            {
                var svc = service(ObjectNames.ListenerBrokerService(cluster, listener.Name, broker.Id));
                if (svc is null)
                {
                    continue;
                }

                var address = listener.Type == ListenerType.LoadBalancer
                    ? LoadBalancerAddress(svc, listener.Port)
                    : NodePortAddress(svc, pod(broker.Pod), node);
                if (address is not null)
                {
                    result[new BrokerListenerKey(listener.Name, broker.Id)] = address;
                }
            }
        }

        return result;
    }

    /// <summary>First ingress address of a LoadBalancer Service, or null while it is pending.</summary>
    public static HostPort? LoadBalancerAddress(JsonObject service, int port)
    {
        ArgumentNullException.ThrowIfNull(service);
        var ingress = (service["status"]?["loadBalancer"]?["ingress"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault();
        var host = ingress?.GetString("hostname") is { Length: > 0 } name ? name : ingress?.GetString("ip");
        return string.IsNullOrEmpty(host) ? null : new HostPort(host, port);
    }

    private static HostPort? NodePortAddress(JsonObject service, JsonObject? pod, Func<string, JsonObject?> node)
    {
        var nodePort = (service["spec"]?["ports"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault()?["nodePort"].AsInt64();
        if (nodePort is null || pod is null || PodFacts.NodeName(pod) is not { } nodeName || node(nodeName) is not { } n)
        {
            return null;
        }

        var addresses = (n["status"]?["addresses"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var host = addresses.FirstOrDefault(a => a.GetString("type") == "ExternalIP")?.GetString("address")
            ?? addresses.FirstOrDefault(a => a.GetString("type") == "InternalIP")?.GetString("address");
        return host is null ? null : new HostPort(host, (int)nodePort.Value);
    }
}
