using System.Text.Json.Serialization;

namespace Tributary.Operator.Api;

/// <summary>How a listener is exposed.</summary>
public enum ListenerType
{
    /// <summary>Inside the Kubernetes cluster only (headless and bootstrap Services).</summary>
    [JsonStringEnumMemberName("internal")]
    Internal,

    /// <summary>One LoadBalancer Service per broker plus a bootstrap LoadBalancer.</summary>
    [JsonStringEnumMemberName("loadbalancer")]
    LoadBalancer,

    /// <summary>One NodePort Service per broker plus a bootstrap NodePort.</summary>
    [JsonStringEnumMemberName("nodeport")]
    NodePort,
}
