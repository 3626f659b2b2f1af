using System.Text.Json.Nodes;

namespace Tributary.Operator.Rendering;

/// <summary>The result of rendering a KafkaCluster: the layout (for status) and the desired objects.</summary>
/// <param name="Layout">Broker id, zone, pod and PVC mapping (copy into status.brokers).</param>
/// <param name="Objects">Desired objects in apply order: RBAC, ConfigMap, Services, StatefulSets, PDB.</param>
/// <param name="BootstrapServers">In-cluster bootstrap address of the first internal listener, if any.</param>
public sealed record KafkaClusterRender(ClusterLayout Layout, IReadOnlyList<JsonObject> Objects, string? BootstrapServers);
