using System.ComponentModel;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>Desired state of a connector.</summary>
[Description("Desired state of the connector.")]
public sealed class ConnectorSpec
{
    [Description("The KafkaCluster the connector reads from or writes to. Cannot be changed.")]
    [Immutable("clusterRef cannot be changed; create a new Connector instead")]
    public required ClusterReference ClusterRef { get; set; }

    [Description("Built-in connector class (connector.class), e.g. FileStreamSource or MirrorSourceConnector.")]
    [SchemaPattern(@"^[A-Za-z_$][A-Za-z0-9_$.]*$")]
    [SchemaMaxLength(256)]
    public required string Class { get; set; }

    [Description("Maximum number of tasks (tasks.max).")]
    [SchemaMinimum(1)]
    [SchemaMaximum(1000)]
    [SchemaDefault(1)]
    public int TasksMax { get; set; } = 1;

    [Description("Connector configuration. connector.class, tasks.max and name come from the spec.")]
    public Dictionary<string, string>? Config { get; set; }

    [Description("Number of Connect worker pods.")]
    [SchemaMinimum(0)]
    [SchemaMaximum(100)]
    [SchemaDefault(1)]
    public int Replicas { get; set; } = 1;

    [Description("Running or Paused.")]
    [SchemaDefault("Running")]
    public ConnectorState State { get; set; } = ConnectorState.Running;

    [Description("Worker container image; defaults to the broker image of the cluster.")]
    [SchemaMaxLength(512)]
    public string? Image { get; set; }

    [Description("CPU and memory for each worker.")]
    public ResourceRequirements? Resources { get; set; }
}
