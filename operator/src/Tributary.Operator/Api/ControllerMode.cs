using System.Text.Json.Serialization;

namespace Tributary.Operator.Api;

/// <summary>Where the KRaft controller quorum runs.</summary>
public enum ControllerMode
{
    /// <summary>Some brokers are also quorum voters (process.roles=broker,controller).</summary>
    [JsonStringEnumMemberName("Combined")]
    Combined,

    /// <summary>A separate set of controller-only pods.</summary>
    [JsonStringEnumMemberName("Dedicated")]
    Dedicated,
}
