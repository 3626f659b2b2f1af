using System.ComponentModel;
using System.Text.Json.Nodes;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>What a user may add to broker pods. The operator's own placement rules always apply.</summary>
[Description("Extra pod settings; merged with the operator's zone pinning and broker spreading.")]
public sealed class PodTemplateOverrides
{
    [Description("Tolerations, as in a pod spec.")]
    public List<Toleration>? Tolerations { get; set; }

    [Description("Extra affinity (core/v1 Affinity). Node selector terms are combined with the zone requirement.")]
    [PreserveUnknownFields]
    public JsonObject? Affinity { get; set; }

    [Description("Extra pod labels. Labels the operator sets win.")]
    public Dictionary<string, string>? Labels { get; set; }

    [Description("Extra pod annotations.")]
    public Dictionary<string, string>? Annotations { get; set; }

    [Description("Priority class of the pods.")]
    [SchemaMaxLength(253)]
    public string? PriorityClassName { get; set; }
}
