using System.ComponentModel;

namespace Tributary.Operator.Api;

/// <summary>Container resource requests and limits, as in core/v1.</summary>
[Description("Compute resources, as in a container's resources field.")]
public sealed class ResourceRequirements
{
    [Description("Minimum resources, e.g. cpu: 500m, memory: 2Gi.")]
    public Dictionary<string, Quantity>? Requests { get; set; }

    [Description("Maximum resources.")]
    public Dictionary<string, Quantity>? Limits { get; set; }
}
