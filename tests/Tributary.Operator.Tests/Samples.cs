using System.Text.Json.Nodes;
using Tributary.Operator.Api;
using Tributary.Operator.Rendering;

namespace Tributary.Operator.Tests;

/// <summary>Sample resources shared by the tests.</summary>
internal static class Samples
{
    public static readonly string[] ThreeZones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];

    public static KafkaCluster Cluster(Action<KafkaClusterSpec>? configure = null)
    {
        var cluster = new KafkaCluster
        {
            Metadata = new ObjectMeta { Name = "orders", Namespace = "kafka", Uid = "6f1c2f3e-0000-4000-8000-000000000001", Generation = 1 },
            Spec = new KafkaClusterSpec
            {
                Brokers = 3,
                Zones = [.. ThreeZones],
                Storage = new StorageSpec { Size = "100Gi", StorageClassName = "gp3" },
                Config = new Dictionary<string, string> { ["default.replication.factor"] = "3", ["min.insync.replicas"] = "2" },
                Resources = new ResourceRequirements
                {
                    Requests = new Dictionary<string, Quantity> { ["cpu"] = "1", ["memory"] = "4Gi" },
                    Limits = new Dictionary<string, Quantity> { ["memory"] = "4Gi" },
                },
            },
        };
        configure?.Invoke(cluster.Spec);
        return cluster;
    }

    public static KafkaClusterRenderInput Input(KafkaCluster cluster, IReadOnlyList<string>? zones = null) => new()
    {
        Cluster = cluster,
        Zones = zones ?? ZonePlanner.Resolve(cluster.Spec.Zones, [], cluster.Status?.Zones),
        ClusterId = "q1Sh-9_ISia_zwGINzRvyQ",
        DefaultImageRepository = "ghcr.io/tributary/tributary",
        DefaultVersion = "0.1.0",
    };

    public static JsonObject Affinity() => JsonNode.Parse("""
        {
          "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
              "nodeSelectorTerms": [
                { "matchExpressions": [ { "key": "node.kubernetes.io/instance-type", "operator": "In", "values": ["m6i.xlarge"] } ] }
              ]
            }
          }
        }
        """)!.AsObject();
}
