using System.ComponentModel;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>MSK-style automatic broker replacement.</summary>
[Description("Automatic replacement of brokers whose node is lost. The replacement pod reattaches the broker's volume in the same zone.")]
public sealed class BrokerReplacementSpec
{
    [Description("Replace brokers on NotReady nodes automatically.")]
    [SchemaDefault(true)]
    public bool Enabled { get; set; } = true;

    [Description("How long a node stays NotReady before its brokers are replaced (Go duration, e.g. 5m, 90s).")]
    [SchemaPattern(DurationPattern)]
    [SchemaDefault("5m")]
    public string NodeNotReadyTimeout { get; set; } = "5m";

    /// <summary>Go's time.Duration text form, positive values only.</summary>
    public const string DurationPattern = @"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$";
}
