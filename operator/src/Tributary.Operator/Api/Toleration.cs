using System.ComponentModel;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>A pod toleration, as in core/v1.</summary>
[Description("A pod toleration.")]
public sealed class Toleration
{
    [Description("Taint key; empty with operator Exists matches all taints.")]
    public string? Key { get; set; }

    [Description("Exists or Equal.")]
    [SchemaPattern("^(Exists|Equal)$")]
    public string? Operator { get; set; }

    [Description("Taint value for operator Equal.")]
    public string? Value { get; set; }

    [Description("NoSchedule, PreferNoSchedule or NoExecute; empty matches all.")]
    [SchemaPattern("^(NoSchedule|PreferNoSchedule|NoExecute)?$")]
    public string? Effect { get; set; }

    [Description("How long a NoExecute taint is tolerated.")]
    public long? TolerationSeconds { get; set; }
}
