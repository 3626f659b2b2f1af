using System.ComponentModel;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>One status condition, following metav1.Condition and kstatus.</summary>
[Description("A status condition (kstatus: Ready, Reconciling, Stalled).")]
public sealed class Condition
{
    [Description("Condition type: Ready, Reconciling or Stalled.")]
    [SchemaMaxLength(316)]
    public required string Type { get; set; }

    [Description("True, False or Unknown.")]
    public required ConditionStatus Status { get; set; }

    [Description("Machine-readable CamelCase reason for the last transition.")]
    [SchemaMaxLength(1024)]
    public string? Reason { get; set; }

    [Description("Human-readable details.")]
    [SchemaMaxLength(32768)]
    public string? Message { get; set; }

    [Description("When the status last changed (RFC 3339).")]
    [SchemaFormat("date-time")]
    public string? LastTransitionTime { get; set; }

    [Description("metadata.generation the condition was computed for.")]
    [SchemaMinimum(0)]
    public long? ObservedGeneration { get; set; }
}
