namespace Tributary.Operator.Rendering;

/// <summary>
/// Everything that decides one node's server.properties, with no Kubernetes types, so the operator
/// and `tributary dev` build the configuration through the same <see cref="BrokerConfigRenderer"/>.
/// </summary>
public sealed record BrokerConfigModel
{
    public required int NodeId { get; init; }

    /// <summary>Any of "broker" and "controller", in that order.</summary>
    public required IReadOnlyList<string> ProcessRoles { get; init; }

    /// <summary>KRaft cluster id (base64 UUID) the node formats its storage with.</summary>
    public required string ClusterId { get; init; }

    /// <summary>broker.rack; null when the node is not pinned to a zone.</summary>
    public string? Rack { get; init; }

    /// <summary>Listeners in the order they are written.</summary>
    public required IReadOnlyList<ListenerEndpoint> Listeners { get; init; }

    public required IReadOnlyList<QuorumVoter> Voters { get; init; }

    public required string ControllerListenerName { get; init; }

    /// <summary>
    /// Security protocol of the controller listener. Broker-only nodes do not bind it but still
    /// need it in listener.security.protocol.map to reach the quorum.
    /// </summary>
    public string ControllerSecurityProtocol { get; init; } = "PLAINTEXT";

    /// <summary>Listener for replication; null on controller-only nodes.</summary>
    public string? InterBrokerListenerName { get; init; }

    public required string LogDirs { get; init; }

    /// <summary>User configuration (already validated against <see cref="Validation.BrokerConfigPolicy"/>).</summary>
    public IReadOnlyDictionary<string, string>? UserConfig { get; init; }
}
