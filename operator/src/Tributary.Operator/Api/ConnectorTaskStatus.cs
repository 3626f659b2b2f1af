using System.ComponentModel;

namespace Tributary.Operator.Api;

/// <summary>State of one connector task as reported by the Connect REST API.</summary>
[Description("One connector task.")]
public sealed class ConnectorTaskStatus
{
    [Description("Task id.")]
    public required int Id { get; set; }

    [Description("RUNNING, PAUSED, FAILED or UNASSIGNED.")]
    public required string State { get; set; }

    [Description("Worker running the task.")]
    public string? WorkerId { get; set; }

    [Description("Error trace of a failed task (truncated).")]
    public string? Trace { get; set; }
}
