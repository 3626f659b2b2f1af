using System.ComponentModel;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>Observed state of a connector.</summary>
[Description("Observed state of the connector.")]
public sealed class ConnectorStatus
{
    [Description("Ready, Reconciling and Stalled conditions.")]
    [ListMapKeys("type")]
    public List<Condition>? Conditions { get; set; }

    [Description("metadata.generation last acted on.")]
    public long? ObservedGeneration { get; set; }

    [Description("Connector state from the Connect REST API: RUNNING, PAUSED, FAILED or UNASSIGNED.")]
    public string? ConnectorState { get; set; }

    [Description("Tasks and their state.")]
    [ListMapKeys("id")]
    public List<ConnectorTaskStatus>? Tasks { get; set; }

    [Description("Worker pods that are Ready.")]
    public int? ReadyWorkers { get; set; }
}
