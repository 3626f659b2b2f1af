using System.ComponentModel;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>Desired state of a KafkaCluster.</summary>
[Description("Desired state of the cluster.")]
public sealed class KafkaClusterSpec
{
    [Description("Number of brokers, spread as evenly as possible across the zones. Broker ids are zoneIndex*1000 + ordinal within the zone.")]
    [SchemaMinimum(1)]
    [SchemaMaximum(999)]
    [SchemaDefault(3)]
    public int Brokers { get; set; } = 3;

    [Description("Zones (topology.kubernetes.io/zone values) to run brokers in. Empty: discover them from the nodes' labels. Zones can be added but never removed, because each holds brokers' volumes.")]
    [SchemaMaxItems(8)]
    [SchemaMaxLength(63)]
    [CelRule("oldSelf.all(z, z in self)", "zones cannot be removed: each zone holds brokers' volumes")]
    public List<string>? Zones { get; set; }

    [Description("KRaft controller quorum layout.")]
    public ControllersSpec? Controllers { get; set; }

    [Description("Container image of the broker. Defaults to the operator's Tributary image for spec.version.")]
    [SchemaMaxLength(512)]
    public string? Image { get; set; }

    [Description("Tributary broker version; selects the default image tag when spec.image is not set.")]
    [SchemaPattern(@"^[0-9]+\.[0-9]+(\.[0-9]+)?([-+][0-9A-Za-z.-]+)?$")]
    public string? Version { get; set; }

    [Description("CPU and memory for each broker container.")]
    public ResourceRequirements? Resources { get; set; }

    [Description("Persistent volume of each broker.")]
    public required StorageSpec Storage { get; set; }

    [Description("Broker configuration (server.properties keys). Keys the operator owns (node.id, process.roles, listeners, advertised.listeners, log.dirs, broker.rack, controller.*, ...) are refused.")]
    public Dictionary<string, string>? Config { get; set; }

    [Description("Client listeners. Two more are always present and reserved: CONTROLLER (9090) and REPLICATION (9091).")]
    [ListMapKeys("name")]
    [SchemaMinItems(1)]
    [SchemaMaxItems(8)]
    [SchemaDefaultJson("""[{"name":"plain","port":9092,"type":"internal","tls":false,"authentication":"none"}]""")]
    public List<ListenerSpec> Listeners { get; set; } = [new ListenerSpec { Name = "plain", Port = 9092 }];

    [Description("Extra settings for the pods the operator creates.")]
    public TemplateSpec? Template { get; set; }

    [Description("Automatic replacement of brokers on lost nodes; the broker's volume is reattached in the same zone.")]
    public BrokerReplacementSpec? BrokerReplacement { get; set; }
}
