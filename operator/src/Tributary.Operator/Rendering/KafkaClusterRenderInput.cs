using Tributary.Operator.Api;

namespace Tributary.Operator.Rendering;

/// <summary>
/// Everything the KafkaCluster renderers need. The reconciler gathers it (zones from nodes and
/// status, cluster id from status or freshly generated, external addresses from Service status);
/// rendering itself does no I/O.
/// </summary>
public sealed record KafkaClusterRenderInput
{
    /// <summary>The resource; metadata.name, namespace and uid must be set.</summary>
    public required KafkaCluster Cluster { get; init; }

    /// <summary>Resolved zones from <see cref="ZonePlanner.Resolve"/>.</summary>
    public required IReadOnlyList<string> Zones { get; init; }

    /// <summary>KRaft cluster id (status.clusterId, generated once).</summary>
    public required string ClusterId { get; init; }

    /// <summary>Image repository used when spec.image is not set; the tag is spec.version or <see cref="DefaultVersion"/>.</summary>
    public string DefaultImageRepository { get; init; } = "ghcr.io/tributary/tributary";

    public string DefaultVersion { get; init; } = "0.1.0";

    /// <summary>
    /// Known external addresses of brokers on loadbalancer/nodeport listeners. A broker without one
    /// advertises its in-cluster DNS name until the address is known (the reconciler then re-renders).
    /// </summary>
    public IReadOnlyDictionary<BrokerListenerKey, HostPort>? ExternalAddresses { get; init; }

    public string Name => Cluster.Metadata.Name ?? throw new InvalidOperationException("metadata.name is required");

    public string Namespace => Cluster.Metadata.Namespace ?? throw new InvalidOperationException("metadata.namespace is required");

    /// <summary>The broker image in effect.</summary>
    public string Image => Cluster.Spec.Image ?? DefaultImageRepository + ":" + (Cluster.Spec.Version ?? DefaultVersion);
}
