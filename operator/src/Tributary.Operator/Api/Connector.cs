using System.ComponentModel;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>A Kafka Connect connector with its own workers (MSK Connect).</summary>
[CustomResource(KafkaApi.Group, KafkaApi.Version, "Connector", "connectors", ShortNames = "kctr", Categories = KafkaApi.Category)]
[Description("Connector runs a built-in Kafka Connect connector on dedicated Connect workers (like MSK Connect).")]
[PrinterColumn("Cluster", "string", ".spec.clusterRef.name")]
[PrinterColumn("Class", "string", ".spec.class")]
[PrinterColumn("State", "string", ".status.connectorState")]
[PrinterColumn("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status")]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp")]
public sealed class Connector : CustomResource<ConnectorSpec, ConnectorStatus>
{
    public Connector()
        : base("Connector")
    {
    }
}
