using System.Text.Json.Serialization;

namespace Tributary.Operator.Api;

/// <summary>Desired run state of a connector.</summary>
public enum ConnectorState
{
    [JsonStringEnumMemberName("Running")]
    Running,

    [JsonStringEnumMemberName("Paused")]
    Paused,
}
