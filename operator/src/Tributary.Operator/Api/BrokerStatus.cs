using System.ComponentModel;

namespace Tributary.Operator.Api;

/// <summary>Observed state of one broker: the stable id-zone-pod-volume mapping.</summary>
[Description("One broker: its id, zone, pod and volume claim.")]
public sealed class BrokerStatus
{
    [Description("Kafka node.id.")]
    public required int Id { get; set; }

    [Description("Zone the broker and its volume live in (broker.rack).")]
    public required string Zone { get; set; }

    [Description("Pod name.")]
    public required string Pod { get; set; }

    [Description("PersistentVolumeClaim name.")]
    public string? Pvc { get; set; }

    [Description("Whether the pod is Ready.")]
    public bool Ready { get; set; }
}
