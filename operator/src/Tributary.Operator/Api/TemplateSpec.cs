using System.ComponentModel;

namespace Tributary.Operator.Api;

/// <summary>Customisations of generated objects.</summary>
[Description("Customisations of the objects the operator creates.")]
public sealed class TemplateSpec
{
    [Description("Extra settings for broker and controller pods.")]
    public PodTemplateOverrides? Pod { get; set; }
}
