using Tributary.Operator.Api;

namespace Tributary.Operator.Rendering;

/// <summary>
/// Maps a KafkaCluster and its layout onto <see cref="BrokerConfigModel"/>s: the Kubernetes-aware half
/// of broker configuration (DNS names, zones, external addresses). The text itself comes from
/// <see cref="BrokerConfigRenderer"/>.
/// </summary>
public static class ClusterConfigPlanner
{
    /// <summary>Where the data volume is mounted and the log lives.</summary>
    public const string DataDir = "/var/lib/tributary/data";

    /// <summary>In-cluster DNS name of a node: pod.headless.namespace.svc.</summary>
    public static string NodeHost(KafkaClusterRenderInput input, NodeSlot node)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(node);
        return $"{node.Pod}.{ObjectNames.HeadlessService(input.Name)}.{input.Namespace}.svc";
    }

    /// <summary>Configuration of every node, ordered by node id.</summary>
    public static IReadOnlyList<(NodeSlot Node, BrokerConfigModel Config)> Plan(KafkaClusterRenderInput input, ClusterLayout layout)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(layout);
        var voters = layout.Voters.Select(v => new QuorumVoter(v.Id, NodeHost(input, v), ClusterPorts.Controller)).ToList();
        return layout.AllNodes.OrderBy(n => n.Id).Select(n => (n, ForNode(input, n, voters))).ToList();
    }

    private static BrokerConfigModel ForNode(KafkaClusterRenderInput input, NodeSlot node, IReadOnlyList<QuorumVoter> voters)
    {
        var host = NodeHost(input, node);
        var listeners = new List<ListenerEndpoint>();
        var roles = new List<string>();
        if (node.Role == NodeRole.Broker)
        {
            roles.Add("broker");
        }

        if (node.IsVoter)
        {
            roles.Add("controller");
            listeners.Add(new ListenerEndpoint(ClusterPorts.ControllerListener, ClusterPorts.Controller, "PLAINTEXT"));
        }

        if (node.Role == NodeRole.Broker)
        {
            listeners.Add(new ListenerEndpoint(ClusterPorts.ReplicationListener, ClusterPorts.Replication, "PLAINTEXT", host));
            foreach (var listener in input.Cluster.Spec.Listeners)
            {
                var (protocol, settings) = Security(listener);
                var advertised = new HostPort(host, listener.Port);
                if (listener.Type != ListenerType.Internal
                    && input.ExternalAddresses?.TryGetValue(new BrokerListenerKey(listener.Name, node.Id), out var external) == true)
                {
                    advertised = external;
                }

                listeners.Add(new ListenerEndpoint(
                    ClusterPorts.KafkaListenerName(listener.Name, listener.Port), listener.Port, protocol,
                    advertised.Host, advertised.Port, settings));
            }
        }

        return new BrokerConfigModel
        {
            NodeId = node.Id,
            ProcessRoles = roles,
            ClusterId = input.ClusterId,
            Rack = node.Zone is null or ZonePlanner.UnzonedName ? null : node.Zone,
            Listeners = listeners,
            Voters = voters,
            ControllerListenerName = ClusterPorts.ControllerListener,
            InterBrokerListenerName = node.Role == NodeRole.Broker ? ClusterPorts.ReplicationListener : null,
            LogDirs = DataDir,
            UserConfig = node.Role == NodeRole.Broker ? input.Cluster.Spec.Config : null,
        };
    }

    private static (string Protocol, IReadOnlyDictionary<string, string>? Settings) Security(ListenerSpec listener) =>
        (listener.Authentication, listener.Tls) switch
        {
            (ListenerAuthentication.ScramSha512, true) => ("SASL_SSL", ScramSettings),
            (ListenerAuthentication.ScramSha512, false) => ("SASL_PLAINTEXT", ScramSettings),
            (ListenerAuthentication.Mtls, _) => ("SSL", new Dictionary<string, string> { ["ssl.client.auth"] = "required" }),
            (_, true) => ("SSL", null),
            _ => ("PLAINTEXT", null),
        };

    private static readonly IReadOnlyDictionary<string, string> ScramSettings =
        new Dictionary<string, string> { ["sasl.enabled.mechanisms"] = "SCRAM-SHA-512" };
}
