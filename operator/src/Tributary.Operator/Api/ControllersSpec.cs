using System.ComponentModel;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>KRaft quorum layout.</summary>
[Description("KRaft controller quorum layout.")]
[CelRule("self.replicas % 2 == 1", "controllers.replicas must be odd (1, 3 or 5) so the quorum has a clear majority")]
public sealed class ControllersSpec
{
    [Description("Combined: the first brokers (one per zone first) are also voters. Dedicated: separate controller-only pods. Cannot be changed after creation.")]
    [SchemaDefault("Combined")]
    [Immutable("controllers.mode cannot be changed after creation")]
    public ControllerMode Mode { get; set; } = ControllerMode.Combined;

    [Description("Number of quorum voters (odd). Combined mode uses at most the largest odd number not above spec.brokers.")]
    [SchemaMinimum(1)]
    [SchemaMaximum(5)]
    [SchemaDefault(3)]
    public int Replicas { get; set; } = 3;
}
